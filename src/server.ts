import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { shutdownEngines, warmUpEngines } from '../solver/index.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { settleUnreadBody } from './http/unread-body.ts';
import { jobHandler } from './jobs.ts';
import { createLogger } from './logger.ts';
import { createPorts } from './runtime.ts';

export interface Running {
  url: string;
  mode: 'embedded' | 'redis';
  stop(): Promise<void>;
}

/** How long a start waits for Redis before it serves anyway (answering 503 until Redis is there). */
const CONNECT_WAIT_MS = 5000;

/** Starts the API, the workers, or both, on the ports the configuration picks. */
export async function start(config: Config, parts: { api: boolean; worker: boolean }): Promise<Running> {
  const log = createLogger(config.LOG_LEVEL);
  const ports = createPorts(config);
  if (parts.worker) {
    await warmUpEngines();
    ports.queue.work(jobHandler(ports.worker.store, ports.worker.pool, log), config.WORKER_CONCURRENCY);
  }
  let server: Server | undefined;
  let url = '';
  if (parts.api) {
    await ports.connected(CONNECT_WAIT_MS);
    const app = createApp({ store: ports.store, pool: ports.pool, queue: ports.queue, log, bodyLimitBytes: config.BODY_LIMIT_BYTES, isOutage: ports.isOutage });
    server = listen(app.fetch, config);
    await new Promise<void>((resolve) => server!.listen(config.PORT, config.HOST, resolve));
    const { address, port } = server.address() as AddressInfo;
    url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }
  log.info({ mode: ports.mode, api: parts.api, worker: parts.worker, url }, 'started');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info('stopping');
      if (server) await new Promise<void>((r) => server!.close(() => r()));
      await ports.queue.close(config.SHUTDOWN_GRACE_MS);
      await ports.store.close();
      await ports.close();
      await shutdownEngines();
      log.info('stopped');
    })());
  return { url, mode: ports.mode, stop };
}

/** The HTTP server: the app, and early answers that keep the connection usable. */
function listen(fetch: Parameters<typeof getRequestListener>[0], config: Config) {
  // The body an early answer leaves unread is settled below, not by the adapter: its drain stalls
  // behind the paused web stream of the body and then drops the connection.
  const handle = getRequestListener(fetch, { hostname: config.HOST, autoCleanupIncoming: false });
  const server = createServer();
  server.on('request', (req, res) => {
    settleUnreadBody(req, res, config.BODY_LIMIT_BYTES * 2);
    void handle(req, res);
  });
  return server;
}

/** SIGTERM and SIGINT finish or hand back running solves, then exit. */
export function exitOnSignals(running: Running): void {
  const onSignal = () => void running.stop().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
