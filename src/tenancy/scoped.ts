import type { JobData, JobQueue, OrdningStore, PoolStore, ScheduleRecord, ScheduleStore } from '../ports.ts';
import { asTenant, LOCAL_TENANT, tenant, within } from './context.ts';

/**
 * Views of the stores that show the current tenant (./context.ts) only its own data. Schedules
 * carry their tenant on the record, and another tenant's schedule reads as absent (404, never 403,
 * so ids cannot be probed). Ordninger, pools and idempotency keys are named by their clients, so
 * each tenant gets its own namespace of names. With one tenant (`local`) names are unchanged.
 */

export const ownerOf = (r: Pick<ScheduleRecord, 'tenantId'>) => r.tenantId ?? LOCAL_TENANT;

export function scopedSchedules(inner: ScheduleStore): ScheduleStore {
  const mine = async (id: string) => {
    const r = await inner.get(id);
    return r !== null && ownerOf(r) === tenant() ? r : null;
  };
  const owns = async (id: string) => (await mine(id)) !== null;
  const key = <K extends { key: string }>(k?: K) => k && { ...k, key: within(tenant(), k.key) };
  return {
    create: (input, idempotency) => inner.create(input, key(idempotency), tenant()),
    get: mine,
    list: (query) => inner.list({ ...query, tenantId: tenant() }),
    getInput: async (id) => ((await owns(id)) ? inner.getInput(id) : null),
    update: async (id, patch) => void ((await owns(id)) && (await inner.update(id, patch))),
    saveResult: async (id, result, basis) => ((await owns(id)) ? inner.saveResult(id, result, basis) : null),
    markCurrent: async (id, basis) => (await owns(id)) && inner.markCurrent(id, basis),
    getVersion: async (id, version) => ((await owns(id)) ? inner.getVersion(id, version) : null),
    delete: async (id) => (await owns(id)) && inner.delete(id),
    addSickLeave: async (id, sick) => {
      if (!(await owns(id))) throw new Error('no such schedule');
      return inner.addSickLeave(id, sick);
    },
    sickLeaves: async (id) => ((await owns(id)) ? inner.sickLeaves(id) : []),
    exclusive: (id, fn) => inner.exclusive(id, fn),
    // Right after a create of this tenant's: the record may be half written, so no ownership read.
    undoCreate: (id, idempotencyKey, ordningId) => inner.undoCreate(id, idempotencyKey && within(tenant(), idempotencyKey), ordningId, tenant()),
    linkGeneration: async (id) => ((await owns(id)) ? inner.linkGeneration(id) : 0),
    bumpLinkGeneration: async (id) => {
      if (!(await owns(id))) throw new Error('no such schedule');
      return inner.bumpLinkGeneration(id);
    },
    linkSecret: () => inner.linkSecret(),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
}

export function scopedPool(inner: PoolStore): PoolStore {
  const own = (poolId: string) => within(tenant(), poolId);
  return {
    putMember: (poolId, member, maxMembers) => inner.putMember(own(poolId), member, maxMembers),
    members: (poolId) => inner.members(own(poolId)),
    removeMember: (poolId, memberId) => inner.removeMember(own(poolId), memberId),
    bookings: (poolId) => inner.bookings(own(poolId)),
    book: (poolId, scheduleId, bookings) => inner.book(own(poolId), scheduleId, bookings),
    release: (poolId, scheduleId) => inner.release(own(poolId), scheduleId),
    exclusive: (poolId, fn) => inner.exclusive(own(poolId), fn),
    claiming: (poolId, fn) => inner.claiming(own(poolId), fn),
    claim: (poolId, scheduleId, members, ttlMs) => inner.claim(own(poolId), scheduleId, members, ttlMs),
    claims: (poolId) => inner.claims(own(poolId)),
    unclaim: (poolId, scheduleId) => inner.unclaim(own(poolId), scheduleId),
  };
}

export function scopedOrdninger(inner: OrdningStore): OrdningStore {
  const own = (id: string) => within(tenant(), id);
  return {
    put: (ordning) => inner.put({ ...ordning, id: own(ordning.id) }),
    get: async (id) => {
      const o = await inner.get(own(id));
      return o && { ...o, id };
    },
    delete: (id) => inner.delete(own(id)),
    timesheet: (id) => inner.timesheet(own(id)),
    saveTimesheet: (id, revision, entries) => inner.saveTimesheet(own(id), revision, entries),
    linkSchedule: (id, scheduleId) => inner.linkSchedule(own(id), scheduleId),
    schedules: (id) => inner.schedules(own(id)),
  };
}

/** Jobs carry their tenant, so the worker plans with that tenant's pool (see `asJobTenant`). */
export function scopedQueue(inner: JobQueue): JobQueue {
  return {
    enqueue: (job) => inner.enqueue({ ...job, tenantId: tenant() }),
    work: (handler, concurrency, giveUp) => inner.work(handler, concurrency, giveUp),
    ping: () => inner.ping(),
    counts: () => inner.counts(),
    close: (graceMs) => inner.close(graceMs),
  };
}

/** Runs a job's handler as the tenant that queued it (jobs queued before tenants: `local`). */
export const asJobTenant =
  <A extends unknown[], R>(fn: (job: JobData, ...rest: A) => R) =>
  (job: JobData, ...rest: A): R =>
    asTenant(job.tenantId ?? LOCAL_TENANT, () => fn(job, ...rest));
