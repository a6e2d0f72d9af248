import type { Hono, MiddlewareHandler } from 'hono';
import type { Metrics } from '../metrics.ts';
import { adminOnly } from './auth.ts';

/**
 * `GET /metrics` in Prometheus' text format. With API keys on (ADMIN_KEY) it needs the admin key,
 * as the admin routes do: the figures span every tenant. Without keys the service listens on
 * localhost only (src/access/startup.ts), and /metrics is open there.
 */
export function metricsRoutes(app: Hono, { metrics, adminKey }: { metrics: Metrics; adminKey?: string }) {
  const guard: MiddlewareHandler = adminKey ? adminOnly(adminKey) : (_c, next) => next();
  app.get('/metrics', guard, async (c) => {
    const text = await metrics.registry.metrics();
    return c.body(text, 200, { 'Content-Type': metrics.registry.contentType });
  });
}

/** Times every answer under its route pattern (`/schedules/:id`, never a raw path with an id). */
export function requestTimer(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath === '/*' || c.req.routePath === '*' ? 'unmatched' : c.req.routePath;
    metrics.request(c.req.method, route, c.res.status, (performance.now() - started) / 1000);
  };
}
