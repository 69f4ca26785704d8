/** `npm run kafka`: the local broker in the foreground (see `kafka-http-sink kafka --help`). KAFKA_PORT picks the port (9092). */
import { kafkaCommand } from '../src/cli/kafka-command.js';

process.exitCode = await kafkaCommand(process.env);
