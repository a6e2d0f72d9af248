import type { Assistant } from '../../solver/request.ts';
import type { ExternalBooking } from '../../solver/result.ts';
import type { PoolStore } from '../ports.ts';
import { clashes } from './conflicts.ts';
import { LocalLocks } from '../locks.ts';

/** The embedded pool: one process, so a promise chain per pool is the lock. */
export class MemoryPool implements PoolStore {
  private pools = new Map<string, Map<string, Assistant>>();
  private booked = new Map<string, Map<string, ExternalBooking[]>>();
  private locks = new LocalLocks();

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

  async book(poolId: string, scheduleId: string, bookings: ExternalBooking[]) {
    const pool = this.booked.get(poolId) ?? new Map<string, ExternalBooking[]>();
    if (clashes([...pool.values()].flat(), bookings, scheduleId)) return false;
    pool.set(scheduleId, bookings);
    this.booked.set(poolId, pool);
    return true;
  }

  async release(poolId: string, scheduleId: string) {
    this.booked.get(poolId)?.delete(scheduleId);
  }

  exclusive<T>(poolId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(poolId, fn);
  }
}
