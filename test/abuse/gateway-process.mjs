// A gateway in a process of its own, for attacks whose cost must be measured apart from the
// attacker's (event-loop delay, memory, descriptors): built from gateway/src/, options as JSON in argv[2].
// Prints `listening <port>` once it listens; stops on SIGTERM.
import { gateway } from '../../bench/lib/gateway.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const instance = await gateway.startGateway({ port: 0, logLevel: 'warn', logWrite: () => {}, ...options });
process.stdout.write(`listening ${instance.port}\n`);
process.once('SIGTERM', () => instance.close().then(() => process.exit(0)));
