import type { Assistant } from '../../solver/request.ts';
import type { ExternalBooking } from '../../solver/result.ts';
import type { PoolStore } from '../ports.ts';
import { clashes } from './conflicts.ts';
import { LocalLocks } from '../locks.ts';

/**
 * The embedded pool: one process, so a promise chain per pool is the lock. Like the Redis pool, it
 * forgets a schedule's bookings once all of them ended longer than `retentionMs` ago (their schedule
 * has expired by then), so a long-running embedded service does not keep every booking it ever made.
 */
export class MemoryPool implements PoolStore {
  /** `maxPools`: pools this process holds at most (the embedded mode keeps them until restart). */
  constructor(private retentionMs = Infinity, private maxPools = Infinity) {}

  private pools = new Map<string, Map<string, Assistant>>();
  private booked = new Map<string, Map<string, ExternalBooking[]>>();
  private locks = new LocalLocks();
  private claimLocks = new LocalLocks();
  private claimed = new Map<string, Map<string, { members: string[]; until: number }>>();

  async putMember(poolId: string, member: Assistant, maxMembers = Infinity) {
    const pool = this.pools.get(poolId) ?? new Map<string, Assistant>();
    const existed = pool.has(member.id);
    if (!existed && pool.size >= maxMembers) return 'full';
    if (pool.size === 0 && this.pools.size >= this.maxPools) return 'no-room';
    pool.set(member.id, member);
    this.pools.set(poolId, pool);
    return existed ? 'updated' : 'created';
  }

  async members(poolId: string) {
    return [...(this.pools.get(poolId)?.values() ?? [])];
  }

  async removeMember(poolId: string, memberId: string) {
    const pool = this.pools.get(poolId);
    const removed = pool?.delete(memberId) ?? false;
    if (pool?.size === 0) this.pools.delete(poolId);
    return removed;
  }

  async bookings(poolId: string) {
    return [...(this.booked.get(poolId)?.values() ?? [])].flat();
  }

  async book(poolId: string, scheduleId: string, bookings: ExternalBooking[]) {
    const pool = this.booked.get(poolId) ?? new Map<string, ExternalBooking[]>();
    const cutoff = Date.now() - this.retentionMs;
    for (const [id, held] of pool) if (held.length > 0 && Math.max(...held.map((b) => Date.parse(b.end))) < cutoff) pool.delete(id);
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

  claiming<T>(poolId: string, fn: () => Promise<T>): Promise<T> {
    return this.claimLocks.run(poolId, fn);
  }

  async claim(poolId: string, scheduleId: string, members: string[], ttlMs: number) {
    const pool = this.claimed.get(poolId) ?? new Map<string, { members: string[]; until: number }>();
    pool.set(scheduleId, { members, until: Date.now() + ttlMs });
    this.claimed.set(poolId, pool);
  }

  async claims(poolId: string) {
    const pool = this.claimed.get(poolId);
    const out = new Map<string, string[]>();
    for (const [id, c] of pool ?? []) {
      if (c.until > Date.now()) out.set(id, c.members);
      else pool!.delete(id);
    }
    return out;
  }

  async unclaim(poolId: string, scheduleId: string) {
    const pool = this.claimed.get(poolId);
    pool?.delete(scheduleId);
    if (pool?.size === 0) this.claimed.delete(poolId);
  }
}
