/** `npm run pipeline -- <name|file>`: runs one pipeline against KAFKA_BOOTSTRAP_SERVERS (default localhost:9092). */
import { runFromCommandLine } from '../src/pipeline/runFromCommandLine.js';

process.exitCode = await runFromCommandLine(process.argv[2]);
