/**
 * Which task slots run a connector's tasks. The workers' group assigns the slots (the partitions of the slots topic,
 * see membership.ts); task `t` of connector `c` lives in slot `(hash(c) + t) mod slots`, so every worker maps a
 * task to the same slot from the config alone, a connector's tasks sit in consecutive slots (which the assignor
 * spreads over the workers), and the owner of a slot runs the tasks mapped to it.
 */
import { createHash } from 'node:crypto';

/** The slot that holds task `task` of `connector`. */
export function slotOf(connector: string, task: number, slots: number): number {
  const base = createHash('sha256').update(connector).digest().readUInt32BE(0);
  return (base + task) % slots;
}

/**
 * The task ids of `connector` whose slot is in `owned`, in id order. A cluster runs `min(tasks.max, slots)` tasks
 * of a connector (`tasks.max` is a maximum, as in Connect), so no slot holds two tasks of one connector.
 */
export function tasksInSlots(connector: string, tasksMax: number, owned: ReadonlySet<number>, slots: number): number[] {
  const tasks = Math.min(Math.max(1, tasksMax), slots);
  return Array.from({ length: Math.max(0, tasks) }, (_, task) => task).filter((task) => owned.has(slotOf(connector, task, slots)));
}

/** A connector's `tasks.max` (default 1, as in Connect). */
export function tasksMaxOf(config: Readonly<Record<string, unknown>>): number {
  const value = Number(config['tasks.max'] ?? 1);
  return Number.isInteger(value) && value > 0 ? value : 1;
}
