import type { Context, Hono } from 'hono';
import { problem } from '../errors.ts';

/**
 * The answer for a request no route took: 405 with `Allow` when the path is known under other
 * methods, else 404. Read from the app's own routes, so a route added anywhere counts. Paths match
 * as the router matches them: with a trailing slash a path is another one (404), not a known path
 * whose own method was refused.
 */
export function unmatched(app: Hono) {
  let routes: { method: string; pattern: RegExp }[] | undefined;
  const known = () =>
    (routes ??= app.routes
      .filter((r) => r.method !== 'ALL' && r.path !== '/*')
      .map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+')}$`) })));
  return (c: Context) => {
    const methods = new Set(known().filter((r) => r.pattern.test(c.req.path)).map((r) => r.method));
    if (methods.size === 0) return problem(c, 404, 'not_found', 'no such route');
    if (methods.has('GET')) methods.add('HEAD');
    c.header('Allow', [...methods].sort().join(', '));
    return problem(c, 405, 'method_not_allowed', `${c.req.method} is not allowed here; use ${[...methods].sort().join(' or ')}`);
  };
}
