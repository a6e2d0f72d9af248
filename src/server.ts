import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { shutdownEngines } from '../solver/index.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { GracefulClose } from './http/graceful-close.ts';
import { healthRoute } from './http/health.ts';
import { metricsRoutes } from './http/metrics.ts';
import { settleUnreadBody } from './http/unread-body.ts';
import { giveUp, jobHandler } from './jobs.ts';
import { Planner } from './planner/planner.ts';
import { createLogger, type Logger } from './logger.ts';
import { createPorts } from './runtime.ts';
import { adminKeyOf, listenHost } from './access/startup.ts';
import { asJobTenant, scopedPool, scopedSchedules } from './tenancy/scoped.ts';
import { Metrics } from './metrics.ts';
import { createNotifier, deploymentUrlProblem, type NoticeSettings } from './notices/notifier.ts';

export interface Running {
  url: string;
  mode: 'embedded' | 'redis';
  log: Logger;
  /** Stops within SHUTDOWN_GRACE_MS: no new connections, running solves finished or handed back. */
  stop(): Promise<void>;
}

/**
 * Of the grace, the part kept back after waiting for connections and solves: for closing the
 * rest, and for the process to end (a solver thread busy in HiGHS can take a second to stop).
 */
const closingReserve = (graceMs: number) => Math.min(3000, graceMs / 3);
/** How long a start waits for Redis before it serves anyway (answering 503 until Redis is there). */
const CONNECT_WAIT_MS = 5000;

/** Starts the API, the workers, or both, on the ports the configuration picks. */
export async function start(config: Config, parts: { api: boolean; worker: boolean }): Promise<Running> {
  const notices: NoticeSettings = { allowedHosts: config.WEBHOOK_ALLOWED_HOSTS, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, secret: config.WEBHOOK_SECRET, deploymentUrl: config.WEBHOOK_URL };
  const misconfigured = deploymentUrlProblem(notices);
  if (misconfigured) throw new Error(`invalid configuration: ${misconfigured}`);
  const log = createLogger(config.LOG_LEVEL);
  const ports = createPorts(config, log);
  const admin = adminKeyOf(config);
  const host = listenHost(config);
  const metrics = new Metrics(ports.queue);
  const notifier = createNotifier(notices, ports.notices, log, (result) => metrics.delivery(result));
  const closing = new AbortController();
  const planner = parts.worker ? new Planner({ heapMb: config.PLANNER_HEAP_MB, killGraceMs: config.PLANNER_KILL_GRACE_MS, warmUpSolves: config.PLANNER_WARM_UP_SOLVES }, config.WORKER_CONCURRENCY) : undefined;
  if (planner) {
    await planner.prepare();
    // Each job runs as the tenant that queued it, with that tenant's view of the stores.
    const store = scopedSchedules(ports.worker.store);
    const pool = scopedPool(ports.worker.pool);
    ports.queue.work(asJobTenant(jobHandler({ store, pool, log, planner, notifier, metrics })), config.WORKER_CONCURRENCY, asJobTenant(giveUp({ store, log, notifier, metrics })));
    notifier.deliver();
  }
  let http: { server: Server; closing: GracefulClose } | undefined;
  let url = '';
  // A worker process counts its own jobs, solve times and deliveries: it serves them for scraping.
  if (!parts.api && config.METRICS_PORT !== undefined) {
    const app = new Hono();
    healthRoute(app);
    metricsRoutes(app, { metrics, adminKey: admin.key });
    http = listen(app.fetch, { ...config, HOST: host });
    url = await listening(http.server, config.METRICS_PORT, host);
  }
  if (parts.api) {
    await ports.connected(CONNECT_WAIT_MS);
    const app = createApp({ store: ports.store, pool: ports.pool, ordninger: ports.ordninger, queue: ports.queue, log, bodyLimitBytes: config.BODY_LIMIT_BYTES, isOutage: ports.isOutage, limits: { maxChoices: config.PLANNER_MAX_CHOICES, maxPoolMembers: config.POOL_MAX_MEMBERS }, linkSecret: config.LINK_SECRET, corsOrigins: config.CORS_ORIGINS, access: { adminKey: admin.key, store: ports.access, ratePerMinute: config.RATE_LIMIT_PER_MINUTE, linkRatePerMinute: config.LINK_RATE_LIMIT_PER_MINUTE }, notifier, metrics, dashboard: ports.dashboard, events: { heartbeatMs: config.EVENTS_HEARTBEAT_MS, closing: closing.signal } });
    http = listen(app.fetch, { ...config, HOST: host });
    url = await listening(http.server, config.PORT, host);
  }
  log.info({ mode: ports.mode, api: parts.api, worker: parts.worker, url }, 'started');
  if (admin.createdFile) log.info({ adminKeyFile: admin.createdFile }, 'admin key created in a new file; create API keys with it (README: Access)');
  if (parts.api && !admin.key) log.warn({ host }, `no API keys (ADMIN_KEY unset): everyone who reaches ${host} may read and change every schedule${/^127\.|^::1$|^localhost$/.test(host) ? ', so it listens on this machine only' : ''}`);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const grace = config.SHUTDOWN_GRACE_MS;
      const started = Date.now();
      const waitUntil = started + grace - closingReserve(grace);
      log.info({ graceMs: grace }, 'stopping');
      closing.abort(); // open event streams end now rather than hold the close
      await Promise.all([http?.closing.close(waitUntil), ports.queue.close(Math.max(0, waitUntil - Date.now()))]);
      await planner?.close();
      await ports.notices.close();
      await ports.store.close();
      await ports.close();
      await shutdownEngines();
      log.info({ ms: Date.now() - started }, 'stopped');
    })());
  return { url, mode: ports.mode, log, stop };
}

async function listening(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const { address, port: bound } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${bound}`;
}

/** The HTTP server: the app, early answers that keep the connection usable, a clean close. */
function listen(fetch: Parameters<typeof getRequestListener>[0], config: Config & { HOST: string }) {
  // The body an early answer leaves unread is settled below, not by the adapter: its drain stalls
  // behind the paused web stream of the body and then drops the connection.
  const handle = getRequestListener(fetch, { hostname: config.HOST, autoCleanupIncoming: false });
  const server = createServer();
  const closing = new GracefulClose(server);
  server.on('request', (req, res) => {
    closing.track(res);
    settleUnreadBody(req, res, config.BODY_LIMIT_BYTES * 2);
    void handle(req, res);
  });
  return { server, closing };
}

/** SIGTERM and SIGINT finish or hand back running solves, then exit, within SHUTDOWN_GRACE_MS. */
export function exitOnSignals(running: Running, graceMs: number): void {
  const { log } = running;
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'signal');
    // Whatever still hangs (a Redis that does not answer) is cut short, in time to end within the grace.
    setTimeout(() => {
      log.error({ graceMs }, 'not stopped within the grace; exiting');
      process.exit(1);
    }, graceMs - closingReserve(graceMs) / 2).unref();
    void running.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
