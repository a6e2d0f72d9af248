import { loadConfig } from './config.ts';
import { exitOnSignals, start } from './server.ts';

// `npm start`: API and worker in one process; embedded queue and store unless REDIS_URL is set.
const config = loadConfig();
exitOnSignals(await start(config, { api: true, worker: true }), config.SHUTDOWN_GRACE_MS);
