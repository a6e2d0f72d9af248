import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ScheduleRequest, SickLeaveRequest } from '../../solver/request.ts';
import type { ScheduleResult } from '../../solver/result.ts';
import type { Basis, CreateOutcome, ScheduleRecord, ScheduleStore } from '../ports.ts';
import { withLease } from '../locks.ts';
import { isAfter, matches, SCAN_BUDGET, type ListPage, type ListQuery, type Position } from './paging.ts';

/**
 * Patches the record in one step, so a status or progress write never puts back a version number
 * (or anything else) that a save changed meanwhile. KEYS[1]: record. ARGV: fields to set (JSON),
 * fields to clear (JSON list), updatedAt.
 */
const PATCH = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local r = cjson.decode(raw)
for k, v in pairs(cjson.decode(ARGV[1])) do r[k] = v end
for _, k in ipairs(cjson.decode(ARGV[2])) do r[k] = nil end
r.updatedAt = ARGV[3]
redis.call('SET', KEYS[1], cjson.encode(r))
return 1`;

/**
 * Saves a result as the next version (when ARGV[3] is not empty) and marks the schedule completed,
 * only while the latest version and the number of sick-leave reports are what the job read.
 * KEYS: record, version counter, sick-leave list, the next version's key.
 * ARGV: expected version, expected reports, result JSON or '', updatedAt. Answers the version, or -1.
 */
const SETTLE = `
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
local version = tonumber(redis.call('GET', KEYS[2]) or '0')
if version ~= tonumber(ARGV[1]) or redis.call('LLEN', KEYS[3]) ~= tonumber(ARGV[2]) then return -1 end
if ARGV[3] ~= '' then
  version = version + 1
  redis.call('SET', KEYS[4], ARGV[3])
  redis.call('SET', KEYS[2], version)
end
local r = cjson.decode(raw)
r.status = 'completed'
r.progress = nil
r.error = nil
r.version = version
r.sickLeaves = tonumber(ARGV[2])
r.updatedAt = ARGV[4]
redis.call('SET', KEYS[1], cjson.encode(r))
return version`;

/** Frees an idempotency key only while it still names the given schedule (KEYS[1]: key, ARGV[1]: id). */
const UNCLAIM = `
local claim = redis.call('GET', KEYS[1])
if claim and cjson.decode(claim).id == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface Claim { id: string; bodyHash: string }

/**
 * Schedules in Redis, under one prefix: `s:{id}` (record), `s:{id}:input`, `s:{id}:v:{n}`
 * (results), `s:{id}:versions` (latest version), `s:{id}:sick` (reports), `s:{id}:lock`,
 * `s:{id}:idem` (the idempotency key it was created with), `idem:{key}` (idempotency key -> id and
 * body hash), and two listing indexes scored by creation time (ms): `idx:created` (every schedule)
 * and `idx:ordning:{ordningId}`, written and removed in the same transactions as the record.
 */
export class RedisStore implements ScheduleStore {
  /** `leaseMs`: how soon a dead worker's lock on a schedule frees (renewed while its holder lives). */
  constructor(private redis: Redis, private prefix: string, private leaseMs = 30_000) {}

  private k = (...parts: (string | number)[]) => [this.prefix, ...parts].join(':');

  async create(input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }): Promise<CreateOutcome> {
    const now = new Date().toISOString();
    const record: ScheduleRecord = { id: randomUUID(), ordningId: input.ordning.id, status: 'queued', createdAt: now, updatedAt: now, version: 0 };
    const created = Date.parse(now);
    const tx = this.redis
      .multi()
      .set(this.k('s', record.id), JSON.stringify(record))
      .set(this.k('s', record.id, 'input'), JSON.stringify(input))
      .zadd(this.k('idx', 'created'), created, record.id)
      .zadd(this.k('idx', 'ordning', input.ordning.id), created, record.id);
    if (idempotency) tx.set(this.k('s', record.id, 'idem'), idempotency.key);
    try {
      await tx.exec();
    } catch (err) {
      void this.undoCreate(record.id, undefined, input.ordning.id).catch(() => {}); // timed out, it may still run on a Redis that hangs
      throw err;
    }
    if (!idempotency) return { kind: 'created', record };
    return this.claim(record, idempotency);
  }

  /** The record exists before the key is claimed, so whoever loses the SET NX race finds it. */
  private async claim(record: ScheduleRecord, idempotency: { key: string; bodyHash: string }): Promise<CreateOutcome> {
    const key = this.k('idem', idempotency.key);
    const claim = JSON.stringify({ id: record.id, bodyHash: idempotency.bodyHash } satisfies Claim);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.redis.set(key, claim, 'NX')) return { kind: 'created', record };
      const seen = JSON.parse((await this.redis.get(key)) ?? 'null') as Claim | null;
      const existing = seen && (await this.get(seen.id));
      if (existing) {
        await this.delete(record.id);
        return seen.bodyHash === idempotency.bodyHash ? { kind: 'existing', record: existing } : { kind: 'conflict' };
      }
      // The key names a schedule that is gone (deleted, or undone): free it and try again.
      if (seen) await this.redis.eval(UNCLAIM, 1, key, seen.id);
    }
    await this.delete(record.id);
    return { kind: 'conflict' };
  }

  async get(id: string) {
    const raw = await this.redis.get(this.k('s', id));
    return raw ? (JSON.parse(raw) as ScheduleRecord) : null;
  }

  /**
   * Walks the index (the ordning's when filtered by one) from the cursor, newest first, reading
   * records in batches until the page is full or SCAN_BUDGET entries were read.
   */
  async list(query: ListQuery): Promise<ListPage> {
    const index = query.ordningId ? this.k('idx', 'ordning', query.ordningId) : this.k('idx', 'created');
    const max = query.after ? String(query.after.createdMs) : '+inf';
    const items: ScheduleRecord[] = [];
    let offset = 0;
    let last: Position | null = null;
    while (offset < SCAN_BUDGET) {
      const batch = Math.min(Math.max(query.limit * 2, 50), SCAN_BUDGET - offset);
      const flat = await this.redis.zrevrangebyscore(index, max, '-inf', 'WITHSCORES', 'LIMIT', offset, batch);
      const entries = Array.from({ length: flat.length / 2 }, (_, i) => ({ id: flat[2 * i]!, createdMs: Number(flat[2 * i + 1]) }));
      offset += entries.length;
      const fresh = entries.filter((p) => isAfter(p, query.after));
      const records = fresh.length ? await this.redis.mget(...fresh.map((p) => this.k('s', p.id))) : [];
      for (const [i, raw] of records.entries()) {
        last = fresh[i]!;
        const record = raw ? (JSON.parse(raw) as ScheduleRecord) : null;
        if (!record || !matches(record, query)) continue;
        items.push(record);
        if (items.length === query.limit) return { items, next: (await this.hasAfter(index, last)) ? last : null };
      }
      if (entries.length < batch) return { items, next: null };
    }
    // The budget ran out before the page filled: the next page starts where the scan stopped.
    return { items, next: last && (await this.hasAfter(index, last)) ? last : null };
  }

  /** Whether the index holds a schedule listed after `p`. */
  private async hasAfter(index: string, p: Position): Promise<boolean> {
    if ((await this.redis.zcount(index, '-inf', `(${p.createdMs}`)) > 0) return true;
    const same = await this.redis.zrangebyscore(index, p.createdMs, p.createdMs);
    return same.some((id) => id < p.id);
  }

  async getInput(id: string) {
    const raw = await this.redis.get(this.k('s', id, 'input'));
    return raw ? (JSON.parse(raw) as ScheduleRequest) : null;
  }

  async update(id: string, patch: Partial<Pick<ScheduleRecord, 'status' | 'progress' | 'error'>>) {
    const cleared = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] === undefined);
    await this.redis.eval(PATCH, 1, this.k('s', id), JSON.stringify(patch), JSON.stringify(cleared), new Date().toISOString());
  }

  async saveResult(id: string, result: ScheduleResult, basis: Basis) {
    const version = basis.version + 1;
    const saved = await this.settle(id, basis, JSON.stringify({ ...result, version }));
    return saved === version ? version : null;
  }

  async markCurrent(id: string, basis: Basis) {
    return (await this.settle(id, basis, '')) === basis.version;
  }

  private async settle(id: string, basis: Basis, resultJson: string): Promise<number> {
    const keys = [this.k('s', id), this.k('s', id, 'versions'), this.k('s', id, 'sick'), this.k('s', id, 'v', basis.version + 1)];
    return Number(await this.redis.eval(SETTLE, keys.length, ...keys, basis.version, basis.sickLeaves, resultJson, new Date().toISOString()));
  }

  async getVersion(id: string, version: number) {
    const raw = await this.redis.get(this.k('s', id, 'v', version));
    return raw ? (JSON.parse(raw) as ScheduleResult) : null;
  }

  /** Removes every key of the schedule and frees its idempotency key, in one transaction. */
  async delete(id: string) {
    const [versions, idem, raw] = await this.redis.mget(this.k('s', id, 'versions'), this.k('s', id, 'idem'), this.k('s', id));
    const ordningId = raw ? (JSON.parse(raw) as ScheduleRecord).ordningId : undefined;
    const pieces = [this.k('s', id, 'input'), this.k('s', id, 'versions'), this.k('s', id, 'sick'), this.k('s', id, 'idem'), this.k('s', id, 'links'), ...Array.from({ length: Number(versions ?? 0) }, (_, i) => this.k('s', id, 'v', i + 1))];
    const tx = this.redis.multi().del(this.k('s', id)).del(...pieces).zrem(this.k('idx', 'created'), id);
    if (ordningId) tx.zrem(this.k('idx', 'ordning', ordningId), id);
    if (idem) tx.eval(UNCLAIM, 1, this.k('idem', idem), id);
    const [[, removed] = []] = (await tx.exec()) ?? [];
    return removed === 1;
  }

  async undoCreate(id: string, idempotencyKey?: string, ordningId?: string) {
    const tx = this.redis.multi().del(this.k('s', id), this.k('s', id, 'input'), this.k('s', id, 'idem')).zrem(this.k('idx', 'created'), id);
    if (ordningId) tx.zrem(this.k('idx', 'ordning', ordningId), id);
    if (idempotencyKey) tx.eval(UNCLAIM, 1, this.k('idem', idempotencyKey), id);
    await tx.exec();
  }

  async addSickLeave(id: string, sick: SickLeaveRequest) {
    // One transaction: no save can land between counting the report and reading the version.
    const replies = await this.redis.multi().rpush(this.k('s', id, 'sick'), JSON.stringify(sick)).get(this.k('s', id, 'versions')).exec();
    const [[pushErr, count], [getErr, version]] = replies as [[Error | null, number], [Error | null, string | null]];
    if (pushErr || getErr) throw pushErr ?? getErr;
    return { count, version: Number(version ?? 0) };
  }

  async sickLeaves(id: string) {
    return (await this.redis.lrange(this.k('s', id, 'sick'), 0, -1)).map((raw) => JSON.parse(raw) as SickLeaveRequest);
  }

  exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return withLease(this.redis, this.k('s', id, 'lock'), this.leaseMs, fn);
  }

  async linkGeneration(id: string) {
    return Number((await this.redis.get(this.k('s', id, 'links'))) ?? 0);
  }

  async bumpLinkGeneration(id: string) {
    return this.redis.incr(this.k('s', id, 'links'));
  }

  /** The first process to ask stores a random secret; every later one reads that same one. */
  async linkSecret() {
    const key = this.k('link-secret');
    await this.redis.set(key, randomBytes(32).toString('base64url'), 'NX');
    const secret = await this.redis.get(key);
    if (!secret) throw new Error('the link secret vanished from Redis');
    return secret;
  }

  async ping() {
    await this.redis.ping();
  }

  async close() {}
}
