import type { Redis } from 'ioredis';
import type { OrdningStore } from '../ports.ts';
import type { Ordning, TimesheetEntry } from './schemas.ts';

/**
 * Writes the timesheet only while the ordning exists and the revision is the one read.
 * KEYS: ordning, timesheet, revision. ARGV: expected revision, entries JSON, retention (ms). Answers 1 or 0.
 */
const SAVE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(redis.call('GET', KEYS[3]) or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('INCR', KEYS[3])
for _, k in ipairs(KEYS) do redis.call('PEXPIRE', k, ARGV[3]) end
return 1`;

/**
 * Ordninger in Redis: `o:{id}` (the ordning), `o:{id}:ts` (timesheet), `o:{id}:rev` (its revision),
 * `o:{id}:schedules` (list of schedule ids). Ids may hold ':', so they are written base64url.
 * An ordning expires `retentionMs` after its last write (RETENTION_DAYS), with all its keys.
 */
export class RedisOrdningStore implements OrdningStore {
  constructor(private redis: Redis, private prefix: string, private retentionMs = 400 * 86_400_000) {}

  /** Every key of the ordning, to give them all the same time left. */
  private keys = (id: string) => [this.k(id), this.k(id, 'ts'), this.k(id, 'rev'), this.k(id, 'schedules')];

  private k = (id: string, part?: string) => [this.prefix, 'o', Buffer.from(id).toString('base64url'), ...(part ? [part] : [])].join(':');

  async put(ordning: Ordning) {
    const tx = this.redis.multi().exists(this.k(ordning.id)).set(this.k(ordning.id), JSON.stringify(ordning));
    for (const key of this.keys(ordning.id)) tx.pexpire(key, this.retentionMs);
    const [[, existed]] = (await tx.exec()) as [[unknown, number]];
    return existed ? 'updated' : 'created';
  }

  async get(id: string) {
    const raw = await this.redis.get(this.k(id));
    return raw ? (JSON.parse(raw) as Ordning) : null;
  }

  async delete(id: string) {
    const [[, existed]] = (await this.redis.multi().exists(this.k(id)).del(this.k(id), this.k(id, 'ts'), this.k(id, 'rev'), this.k(id, 'schedules')).exec()) as [[unknown, number]];
    return existed === 1;
  }

  async timesheet(id: string) {
    // One MULTI: the entries and the revision they are at.
    const [[, raw], [, rev]] = (await this.redis.multi().get(this.k(id, 'ts')).get(this.k(id, 'rev')).exec()) as [[unknown, string | null], [unknown, string | null]];
    return { revision: Number(rev ?? 0), entries: raw ? (JSON.parse(raw) as TimesheetEntry[]) : [] };
  }

  async saveTimesheet(id: string, revision: number, entries: TimesheetEntry[]) {
    return (await this.redis.eval(SAVE, 3, this.k(id), this.k(id, 'ts'), this.k(id, 'rev'), revision, JSON.stringify(entries), this.retentionMs)) === 1;
  }

  async linkSchedule(id: string, scheduleId: string) {
    const tx = this.redis.multi().rpush(this.k(id, 'schedules'), scheduleId);
    for (const key of this.keys(id)) tx.pexpire(key, this.retentionMs);
    await tx.exec();
  }

  async schedules(id: string) {
    return this.redis.lrange(this.k(id, 'schedules'), 0, -1);
  }
}
