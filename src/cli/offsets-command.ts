/**
 * `kafka-http-sink offsets <file|name> [--to-datetime T | --to-earliest | --to-latest | --shift-by N] [--dry-run |
 * --execute]`: a connector's consumer group (`connect-<name>`) shown, or moved for every partition of its topics the
 * way `kafka-consumer-groups --reset-offsets` does: a plan printed, committed only with `--execute`, refused while the
 * group has active members (the connector runs). For `run` users, who have no worker to ask.
 */
import { extname } from 'node:path';
import { ConfigError } from '../common/errors.js';
import { connectorSettings } from '../connector/connector-config.js';
import { loadPipeline, readConnectorFile, resolvePipelinePath } from '../connector/loadPipeline.js';
import { GroupActiveError, openGroupOffsets, split } from '../source/group-offsets.js';
import { planOffsets, type OffsetTarget } from '../source/offset-plan.js';

interface Options {
  readonly target?: OffsetTarget;
  readonly execute: boolean;
}

export async function offsetsCommand(args: readonly string[], env: NodeJS.ProcessEnv, print: (text: string) => void): Promise<number> {
  const [connector, ...flags] = args;
  if (connector === undefined || connector.startsWith('--')) throw new ConfigError(undefined, 'name a connector file or connector name first: kafka-http-sink offsets <file|name> ...');
  const options = parseFlags(flags);
  const { rdkafka, groupId, topics, startAt } = await groupOf(connector, env);
  const group = await openGroupOffsets(rdkafka, groupId);
  try {
    const held = await group.committed(await group.allPartitions());
    // a connector file names its topics; a bare name: the topics its group holds offsets for
    const partitions = topics ? await group.partitionsOf(topics) : [...held.keys()];
    if (!options.target) {
      const ends = await group.watermarks(partitions);
      print(table(groupId, partitions, ['CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG'], (id) => [held.get(id) ?? '-', ends.get(id)?.high ?? '-', lag(held.get(id), ends.get(id)?.high)]));
      return 0;
    }
    const plan = await planOffsets(group, partitions, options.target, startAt);
    print(table(groupId, [...plan.keys()], ['CURRENT-OFFSET', 'NEW-OFFSET'], (id) => [held.get(id) ?? '-', plan.get(id)!]));
    if (!options.execute) {
      print('Dry run: nothing was committed. Add --execute to commit these offsets (the connector must not be running).');
      return 0;
    }
    try {
      await group.commit(plan);
    } catch (error) {
      if (!(error instanceof GroupActiveError)) throw error;
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    print(`Committed ${plan.size} offset(s) for the group ${groupId}.`);
    return 0;
  } finally {
    await group.close();
  }
}

function parseFlags(flags: readonly string[]): Options {
  let target: OffsetTarget | undefined;
  let execute = false;
  let dryRun = false;
  const set = (next: OffsetTarget): void => {
    if (target) throw new ConfigError(undefined, 'give one of --to-datetime, --to-earliest, --to-latest, --shift-by');
    target = next;
  };
  for (let i = 0; i < flags.length; i += 1) {
    const flag = flags[i]!;
    const value = (): string => {
      const given = flags[++i];
      if (given === undefined) throw new ConfigError(undefined, `${flag} needs a value`);
      return given;
    };
    if (flag === '--to-earliest') set({ kind: 'earliest' });
    else if (flag === '--to-latest') set({ kind: 'latest' });
    else if (flag === '--to-datetime') {
      const text = value();
      const timestamp = Date.parse(text);
      if (!Number.isFinite(timestamp)) throw new ConfigError(undefined, `--to-datetime ${text}: not a date-time (e.g. 2026-01-31T12:00:00Z; without a zone it is local time)`);
      set({ kind: 'datetime', timestamp });
    } else if (flag === '--shift-by') {
      const text = value();
      if (!/^-?\d+$/.test(text)) throw new ConfigError(undefined, `--shift-by ${text}: not a whole number`);
      set({ kind: 'shift', by: Number(text) });
    } else if (flag === '--execute') execute = true;
    else if (flag === '--dry-run') dryRun = true;
    else throw new ConfigError(undefined, `unknown option ${flag} (kafka-http-sink offsets --help)`);
  }
  if (execute && dryRun) throw new ConfigError(undefined, 'give --dry-run or --execute, not both');
  if (execute && !target) throw new ConfigError(undefined, '--execute needs one of --to-datetime, --to-earliest, --to-latest, --shift-by');
  return target ? { target, execute } : { execute };
}

/** A connector file's Kafka settings, group and topics; a bare name: KAFKA_BOOTSTRAP_SERVERS and the group `connect-<name>`. */
async function groupOf(connector: string, env: NodeJS.ProcessEnv) {
  let path: string | undefined;
  try {
    path = resolvePipelinePath(connector);
  } catch (error) {
    if (/[/\\]|\.(json|ts|js|mjs)$/.test(connector)) throw error;
  }
  if (path === undefined) {
    return { rdkafka: { 'bootstrap.servers': env.KAFKA_BOOTSTRAP_SERVERS ?? 'localhost:9092' }, groupId: `connect-${connector}`, topics: undefined, startAt: 'earliest' as const };
  }
  const config = extname(path) === '.json' ? readConnectorFile(path) : { ...(await loadPipeline(path)).connector };
  const { source } = connectorSettings(config, env);
  return { rdkafka: source.rdkafka, groupId: source.groupId, topics: source.topics, startAt: source.rdkafka['auto.offset.reset'] === 'latest' ? ('latest' as const) : ('earliest' as const) };
}

function lag(committed: number | undefined, end: number | undefined): number | string {
  return committed === undefined || end === undefined ? '-' : Math.max(0, end - committed);
}

/** kafka-consumer-groups' layout: GROUP TOPIC PARTITION, then `columns`. */
function table(groupId: string, partitions: readonly string[], columns: readonly string[], row: (id: string) => (string | number)[]): string {
  const rows = [['GROUP', 'TOPIC', 'PARTITION', ...columns], ...partitions.map((id) => [groupId, split(id).topic, String(split(id).partition), ...row(id).map(String)])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
