import { loadConfig } from './config.ts';
import { exitOnSignals, start } from './server.ts';

// `npm run worker`: workers only, taking jobs from Redis; run as many as the machines allow.
const config = loadConfig();
if (!config.REDIS_URL) {
  console.error('npm run worker needs REDIS_URL: without Redis, `npm start` runs API and worker together');
  process.exit(2);
}
exitOnSignals(await start(config, { api: false, worker: true }), config.SHUTDOWN_GRACE_MS);
