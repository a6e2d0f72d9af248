import { loadConfig } from './config.ts';
import { refusal } from './access/startup.ts';
import { exitOnSignals, start } from './server.ts';

// `npm start`: API and worker in one process; embedded queue and store unless REDIS_URL is set.
const config = loadConfig();
// Exposed without keys (any address but localhost, or Redis mode), it does not start at all.
const refused = refusal(config);
if (refused) {
  process.stderr.write(`${refused}\n`);
  process.exit(78); // EX_CONFIG
}
exitOnSignals(await start(config, { api: true, worker: true }), config.SHUTDOWN_GRACE_MS);
