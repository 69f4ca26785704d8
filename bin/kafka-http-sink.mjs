#!/usr/bin/env node
// The `kafka-http-sink` command: loads the TypeScript sources through tsx (a dependency), no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
