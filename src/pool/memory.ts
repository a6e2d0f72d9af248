import type { Assistant } from '../../solver/request.ts';
import type { ExternalBooking } from '../../solver/result.ts';
import type { PoolStore } from '../ports.ts';
import { clashes } from './conflicts.ts';

/** The embedded pool: one process, so a promise chain per pool is the lock. */
export class MemoryPool implements PoolStore {
  private pools = new Map<string, Map<string, Assistant>>();
  private booked = new Map<string, Map<string, ExternalBooking[]>>();
  private queues = new Map<string, Promise<unknown>>();

  async putMember(poolId: string, member: Assistant) {
    const pool = this.pools.get(poolId) ?? new Map<string, Assistant>();
    const existed = pool.has(member.id);
    pool.set(member.id, member);
    this.pools.set(poolId, pool);
    return existed ? 'updated' : 'created';
  }

  async members(poolId: string) {
    return [...(this.pools.get(poolId)?.values() ?? [])];
  }

  async bookings(poolId: string) {
    return [...(this.booked.get(poolId)?.values() ?? [])].flat();
  }

  async book(poolId: string, scheduleId: string, bookings: ExternalBooking[], restMs: number) {
    const pool = this.booked.get(poolId) ?? new Map<string, ExternalBooking[]>();
    if (clashes([...pool.values()].flat(), bookings, scheduleId, restMs)) return false;
    pool.set(scheduleId, bookings);
    this.booked.set(poolId, pool);
    return true;
  }

  async release(poolId: string, scheduleId: string) {
    this.booked.get(poolId)?.delete(scheduleId);
  }

  exclusive<T>(poolId: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(poolId) ?? Promise.resolve()).catch(() => {}).then(fn);
    this.queues.set(poolId, run);
    return run;
  }
}
