import { loadConfig } from './config.ts';
import { exitOnSignals, start } from './server.ts';

// `npm start`: API and worker in one process; embedded queue and store unless REDIS_URL is set.
const running = await start(loadConfig(), { api: true, worker: true });
exitOnSignals(running);
