/**
 * Offset-commit answers reach the commit they answer (regression: a timed-out commit's callback stayed queued, so the
 * next commit's answer went to it and the next commit timed out although the broker had taken it).
 */
import { describe, expect, it } from '@jest/globals';
import type { LibrdKafkaError, TopicPartitionOffset } from 'node-rdkafka';
import { CommitAnswers } from '../../src/source/commit-answers.js';

const offsets = (offset: number): TopicPartitionOffset[] => [{ topic: 't', partition: 1, offset }, { topic: 't', partition: 0, offset }];

describe('CommitAnswers', () => {
  it('hands the next commit its own answer after a commit was given up on, and drops the late answer', () => {
    const answers = new CommitAnswers();
    const got: string[] = [];
    const forget = answers.expect(offsets(5), () => got.push('first'));
    forget(); // timed out
    answers.expect(offsets(9), (err) => got.push(`second ${err === undefined ? 'ok' : err.message}`));
    answers.answer(undefined, offsets(9).reverse()); // the broker's answer to the second commit (any order)
    expect(got).toEqual(['second ok']);
    answers.answer({ message: 'late', code: 7 } as LibrdKafkaError, offsets(5)); // the first commit's late answer: nobody waits
    expect(got).toEqual(['second ok']);
    expect(answers.size).toBe(0);
  });

  it('answers commits that wait in the order the answers name them; an answer naming no offsets goes to the oldest', () => {
    const answers = new CommitAnswers();
    const got: number[] = [];
    answers.expect(offsets(1), () => got.push(1));
    answers.expect(offsets(2), () => got.push(2));
    answers.expect(offsets(3), () => got.push(3));
    answers.answer(undefined, offsets(2));
    answers.answer({ message: 'broker down', code: -195 } as LibrdKafkaError, undefined);
    answers.answer(undefined, offsets(3));
    expect(got).toEqual([2, 1, 3]);
  });
});
