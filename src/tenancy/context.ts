import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The tenant a request or a job acts for. The access middleware (src/http/auth.ts) and the job
 * runner set it around everything they start; the scoped stores (./scoped.ts) read it. Held in
 * async-local storage rather than passed through every route, so a route cannot forget it: a
 * store call outside any tenant throws instead of reading everyone's data.
 */

/** The one tenant of a service without API keys (no ADMIN_KEY): the embedded default. */
export const LOCAL_TENANT = 'local';

const current = new AsyncLocalStorage<string>();

export const asTenant = <T>(tenantId: string, fn: () => T): T => current.run(tenantId, fn);

export function tenant(): string {
  const t = current.getStore();
  if (t === undefined) throw new Error('a store was used outside any tenant');
  return t;
}

/** The tenant acted for, or undefined outside any (a caller that works either way). */
export const tenantIfAny = (): string | undefined => current.getStore();

/** A tenant's own name for an id shared by name (ordning, pool, idempotency key). Ids never hold '/'. */
export const within = (tenantId: string, id: string) => (tenantId === LOCAL_TENANT ? id : `${tenantId}/${id}`);
