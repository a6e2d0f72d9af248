import type { Context, MiddlewareHandler } from 'hono';
import { problem } from '../errors.ts';
import type { AccessStore, ApiKey, ScheduleStore } from '../ports.ts';
import { hashKey, sameSecret } from '../access/keys.ts';
import { asTenant, LOCAL_TENANT } from '../tenancy/context.ts';
import { ownerOf } from '../tenancy/scoped.ts';
import { auditAction } from './audit.ts';

/**
 * Who may call what. With ADMIN_KEY set, every route but the open ones needs a tenant's API key
 * (`Authorization: Bearer bt_...`) and runs as that key's tenant (src/tenancy/); the admin routes
 * need the admin key itself. Without ADMIN_KEY the service has one tenant, `local`, and no keys:
 * it then listens on localhost only (src/access/startup.ts).
 */

export interface AccessDeps {
  /** ADMIN_KEY (or the file's); unset: no keys, everything is `local`. */
  adminKey?: string;
  access: AccessStore;
  /** The unscoped store: only to find whose schedule a signed link names. */
  schedules: ScheduleStore;
  ratePerMinute: number;
  /** For the views a signed link opens, counted per schedule (a link has no key to count by). */
  linkRatePerMinute: number;
}

/** Liveness, readiness and the API's own description answer anyone. */
const OPEN = new Set(['/healthz', '/readyz', '/openapi.json', '/docs']);
/** The views a signed `?token=` opens (src/http/views.ts checks the token itself). */
const LINKED_VIEW = /^\/schedules\/([^/]+)\/(?:turnus|versions\/[^/]+\/turnus|assistants\/[^/]+\/calendar\.ics|timeliste\.csv)$/;
/** The tenant of a link to a schedule that does not exist: owns nothing, so the view answers 404 or 403. */
const NOBODY = '';

const bearer = (c: Context) => /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];

const unauthorized = (c: Context, message: string) => {
  c.header('WWW-Authenticate', 'Bearer realm="bpa-turnus"');
  return problem(c, 401, 'unauthorized', message);
};

/** Guards the admin routes: the admin key only. Another helper mounts Bull Board behind it too. */
export function adminOnly(adminKey: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!adminKey) return problem(c, 403, 'admin_disabled', 'the admin routes are off: start the service with ADMIN_KEY (or ADMIN_KEY_FILE)');
    const sent = bearer(c);
    if (!sent || !sameSecret(sent, adminKey)) return unauthorized(c, 'send the admin key as Authorization: Bearer <ADMIN_KEY>');
    await next();
  };
}

/** Every other route: the caller's key, its rate, its scope, then the route as the key's tenant, then the audit. */
export function tenantAccess(deps: AccessDeps): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    // /metrics guards itself (src/http/metrics.ts): the admin key, like the admin routes.
    if (OPEN.has(path) || path.startsWith('/admin/') || path === '/metrics') return next();
    if (!deps.adminKey) return asTenant(LOCAL_TENANT, next);
    const linked = c.req.method === 'GET' && c.req.query('token') !== undefined && LINKED_VIEW.exec(path);
    if (linked) {
      const id = linked[1]!;
      return (await overLimit(c, deps, `link:${id}`, deps.linkRatePerMinute, 'with links to this schedule')) ?? asTenant(await linkTenant(deps.schedules, id), next);
    }
    const sent = bearer(c);
    if (!sent) return unauthorized(c, 'send an API key as Authorization: Bearer <key>');
    const key = await deps.access.keyByHash(hashKey(sent));
    if (!key) return unauthorized(c, 'unknown or revoked API key');
    const limited = await overLimit(c, deps, key.id, deps.ratePerMinute, 'with this key');
    if (limited) return limited;
    const needs = ['GET', 'HEAD', 'OPTIONS'].includes(c.req.method) ? 'read' : 'write';
    if (!allows(key, needs)) return problem(c, 403, 'forbidden', `this key may not ${needs}: it has the scopes ${key.scopes.join(', ')}`);
    await asTenant(key.tenantId, next);
    await audit(deps.access, c, key);
  };
}

/** Counts a request in `bucket`'s minute; past `perMinute`, the 429 to answer. */
async function overLimit(c: Context, deps: AccessDeps, bucket: string, perMinute: number, what: string) {
  const rate = await deps.access.hit(bucket, 60);
  if (rate.count <= perMinute) return undefined;
  c.header('Retry-After', String(rate.resetSeconds));
  return problem(c, 429, 'rate_limited', `more than ${perMinute} requests in a minute ${what}; try again in ${rate.resetSeconds} s`);
}

/** `write` includes `read`: a key that may change a schedule may read it. */
const allows = (key: ApiKey, needs: 'read' | 'write') => key.scopes.includes(needs) || (needs === 'read' && key.scopes.includes('write'));

async function linkTenant(schedules: ScheduleStore, id: string): Promise<string> {
  const record = /^[0-9a-f-]{36}$/i.test(id) ? await schedules.get(id) : null;
  return record ? ownerOf(record) : NOBODY;
}

async function audit(access: AccessStore, c: Context, key: ApiKey) {
  const done = auditAction(c);
  if (done) await access.audit({ at: new Date().toISOString(), tenantId: key.tenantId, keyId: key.id, ...done });
}
