#!/usr/bin/env node
// The `kafka-http-sink` command: runs the compiled dist/ (`npm run build`; `npm install` builds it).
// KAFKA_HTTP_SINK_FROM_SOURCE=1 runs src/ through tsx instead (a dev dependency): what the tests do in a checkout,
// so they test the code being edited rather than the last build.
import { existsSync } from 'node:fs';

let main;
if (process.env.KAFKA_HTTP_SINK_FROM_SOURCE === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
} else {
  const entry = new URL('../dist/cli/main.js', import.meta.url);
  if (!existsSync(entry)) {
    process.stderr.write(`kafka-http-sink: ${entry.pathname} is missing; run \`npm run build\` (npm install runs it)\n`);
    process.exit(2);
  }
  ({ main } = await import(entry.href));
}
process.exitCode = await main(process.argv.slice(2));
