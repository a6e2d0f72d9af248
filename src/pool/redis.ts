import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Assistant } from '../../solver/request.ts';
import type { ExternalBooking } from '../../solver/result.ts';
import type { PoolStore } from '../ports.ts';

/**
 * Checks and replaces one schedule's bookings in one step inside Redis, so two re-plans can never
 * both book the same person for clashing times. KEYS[1]: hash scheduleId -> bookings JSON.
 * ARGV: scheduleId, new bookings JSON (with startMs/endMs), rest in ms.
 */
const BOOK = `
local incoming = cjson.decode(ARGV[2])
local rest = tonumber(ARGV[3])
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if all[i] ~= ARGV[1] then
    for _, e in ipairs(cjson.decode(all[i + 1])) do
      for _, n in ipairs(incoming) do
        if e.assistantId == n.assistantId and n.startMs < e.endMs + rest and e.startMs < n.endMs + rest then return 0 end
      end
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisPool implements PoolStore {
  constructor(private redis: Redis, private prefix: string, private lockMs = 120_000) {}

  private k = (...parts: string[]) => [this.prefix, ...parts].join(':');

  async putMember(poolId: string, member: Assistant) {
    const added = await this.redis.hset(this.k('pool', poolId, 'members'), member.id, JSON.stringify(member));
    return added ? 'created' : 'updated';
  }

  async members(poolId: string) {
    return Object.values(await this.redis.hgetall(this.k('pool', poolId, 'members'))).map((m) => JSON.parse(m) as Assistant);
  }

  async bookings(poolId: string) {
    return Object.values(await this.redis.hgetall(this.k('pool', poolId, 'bookings')))
      .flatMap((b) => JSON.parse(b) as (ExternalBooking & { startMs?: number; endMs?: number })[])
      .map(({ startMs, endMs, ...b }) => b);
  }

  async book(poolId: string, scheduleId: string, bookings: ExternalBooking[], restMs: number) {
    const stored = bookings.map((b) => ({ ...b, startMs: Date.parse(b.start), endMs: Date.parse(b.end) }));
    // cjson encodes an empty table as an object; an empty list is still a list to us.
    return (await this.redis.eval(BOOK, 1, this.k('pool', poolId, 'bookings'), scheduleId, JSON.stringify(stored), restMs)) === 1;
  }

  async release(poolId: string, scheduleId: string) {
    await this.redis.hdel(this.k('pool', poolId, 'bookings'), scheduleId);
  }

  /** A lease lock (SET NX PX with a token) around read-solve-book; freed only by its holder. */
  async exclusive<T>(poolId: string, fn: () => Promise<T>): Promise<T> {
    const key = this.k('pool', poolId, 'lock');
    const token = randomUUID();
    for (let wait = 10; !(await this.redis.set(key, token, 'PX', this.lockMs, 'NX')); wait = Math.min(200, wait * 2))
      await new Promise((r) => setTimeout(r, wait));
    try {
      return await fn();
    } finally {
      await this.redis.eval(UNLOCK, 1, key, token);
    }
  }
}
