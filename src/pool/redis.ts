import type { Redis } from 'ioredis';
import type { Assistant } from '../../solver/request.ts';
import type { ExternalBooking } from '../../solver/result.ts';
import type { PoolStore } from '../ports.ts';
import { LAW_REST } from '../../solver/rules/legal-limits.ts';
import { withLease } from '../locks.ts';

const HOUR = 3_600_000;
/** Longest wait between two tries for a pool's lock. */
const POOL_LOCK_POLL_MS = 20;

/**
 * Checks and replaces one schedule's bookings in one step inside Redis, so two re-plans can never
 * both book the same person for clashing times. KEYS[1]: hash scheduleId -> bookings JSON.
 * ARGV: scheduleId, new bookings JSON (with startMs/endMs/restMs), the law's daily rest in ms for
 * bookings stored without their own. The rest between two bookings is the longer of theirs.
 * ARGV[4]: retention (ms): a schedule's bookings that all ended longer ago than that are dropped
 * (their schedule has expired), and the hash expires when no booking is made for that long.
 */
const BOOK = `
local incoming = cjson.decode(ARGV[2])
local lawRest = tonumber(ARGV[3])
local cutoff = tonumber(redis.call('TIME')[1]) * 1000 - tonumber(ARGV[4])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local stored = cjson.decode(all[i + 1])
  local lastEnd = 0
  for _, e in ipairs(stored) do lastEnd = math.max(lastEnd, e.endMs) end
  if #stored > 0 and lastEnd < cutoff then redis.call('HDEL', KEYS[1], all[i])
  elseif all[i] ~= ARGV[1] then
    for _, e in ipairs(stored) do
      for _, n in ipairs(incoming) do
        local rest = math.max(tonumber(e.restMs) or lawRest, tonumber(n.restMs) or lawRest)
        if e.assistantId == n.assistantId and n.startMs < e.endMs + rest and e.startMs < n.endMs + rest then return 0 end
      end
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/**
 * Registers or updates one member, refusing a new one when the pool is full, in one step (two
 * registrations at once cannot both take the last place). KEYS[1]: hash memberId -> JSON. ARGV:
 * member id, JSON, most members (-1: no limit), retention (ms). Returns 1 created, 0 updated, -1 full.
 */
const PUT_MEMBER = `
local exists = redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1
local limit = tonumber(ARGV[3])
if not exists and limit >= 0 and redis.call('HLEN', KEYS[1]) >= limit then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if exists then return 0 end
return 1`;

export class RedisPool implements PoolStore {
  /** `leaseMs`: how soon a dead process's lock on the pool frees (renewed while its holder lives). */
  /** `retentionMs`: a pool nobody registers or books into for that long expires (src/config.ts RETENTION_DAYS). */
  constructor(private redis: Redis, private prefix: string, private leaseMs = 30_000, private retentionMs = 400 * 86_400_000) {}

  private k = (...parts: string[]) => [this.prefix, ...parts].join(':');

  async putMember(poolId: string, member: Assistant, maxMembers = Infinity) {
    const limit = Number.isFinite(maxMembers) ? maxMembers : -1;
    const outcome = await this.redis.eval(PUT_MEMBER, 1, this.k('pool', poolId, 'members'), member.id, JSON.stringify(member), limit, this.retentionMs);
    return outcome === 1 ? 'created' : outcome === 0 ? 'updated' : 'full';
  }

  async members(poolId: string) {
    return Object.values(await this.redis.hgetall(this.k('pool', poolId, 'members'))).map((m) => JSON.parse(m) as Assistant);
  }

  async removeMember(poolId: string, memberId: string) {
    return (await this.redis.hdel(this.k('pool', poolId, 'members'), memberId)) === 1;
  }

  async bookings(poolId: string) {
    return Object.values(await this.redis.hgetall(this.k('pool', poolId, 'bookings')))
      .flatMap((b) => JSON.parse(b) as (ExternalBooking & { startMs?: number; endMs?: number; restMs?: number })[])
      .map(({ startMs, endMs, restMs, ...b }) => b);
  }

  async book(poolId: string, scheduleId: string, bookings: ExternalBooking[]) {
    // Only a booking's own rest is stored with it; the script takes the longer of two, or the law's.
    const stored = bookings.map((b) => ({ ...b, startMs: Date.parse(b.start), endMs: Date.parse(b.end), ...(b.minDailyRestHours === undefined ? {} : { restMs: b.minDailyRestHours * HOUR }) }));
    // cjson encodes an empty table as an object; an empty list is still a list to us.
    return (await this.redis.eval(BOOK, 1, this.k('pool', poolId, 'bookings'), scheduleId, JSON.stringify(stored), LAW_REST.minDailyRestHours * HOUR, this.retentionMs)) === 1;
  }

  async release(poolId: string, scheduleId: string) {
    await this.redis.hdel(this.k('pool', poolId, 'bookings'), scheduleId);
  }

  /**
   * A renewed lease (src/locks.ts) around check-and-book, held milliseconds, so waiters poll often;
   * the locked solve after repeated clashes holds it longer. The booking check stays atomic regardless.
   */
  exclusive<T>(poolId: string, fn: () => Promise<T>): Promise<T> {
    return withLease(this.redis, this.k('pool', poolId, 'lock'), this.leaseMs, fn, POOL_LOCK_POLL_MS);
  }

  claiming<T>(poolId: string, fn: () => Promise<T>): Promise<T> {
    return withLease(this.redis, this.k('pool', poolId, 'claiming'), this.leaseMs, fn, POOL_LOCK_POLL_MS);
  }

  /** One hash per pool: schedule id -> { members, until }; the hash itself lapses with the latest claim. */
  async claim(poolId: string, scheduleId: string, members: string[], ttlMs: number) {
    const key = this.k('pool', poolId, 'claims');
    await this.redis.multi().hset(key, scheduleId, JSON.stringify({ members, until: Date.now() + ttlMs })).pexpire(key, ttlMs, 'GT').pexpire(key, ttlMs, 'NX').exec();
  }

  async claims(poolId: string) {
    const key = this.k('pool', poolId, 'claims');
    const out = new Map<string, string[]>();
    const lapsed: string[] = [];
    for (const [id, json] of Object.entries(await this.redis.hgetall(key))) {
      const c = JSON.parse(json) as { members: string[]; until: number };
      if (c.until > Date.now()) out.set(id, c.members);
      else lapsed.push(id);
    }
    if (lapsed.length) await this.redis.hdel(key, ...lapsed);
    return out;
  }

  async unclaim(poolId: string, scheduleId: string) {
    await this.redis.hdel(this.k('pool', poolId, 'claims'), scheduleId);
  }
}
