import type { Hono } from 'hono';

/** Liveness: the event loop answers. Served by the API and by worker processes (METRICS_PORT) alike. */
export function healthRoute(app: Hono): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
}
