import { randomBytes, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ScheduleRequest, SickLeaveRequest } from '../../solver/request.ts';
import type { ScheduleResult } from '../../solver/result.ts';
import type { Basis, CreateOutcome, RecordPatch, ScheduleRecord, ScheduleStore } from '../ports.ts';
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
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return 1`;

/**
 * Gives KEYS[2..] the time the record KEYS[1] has left: every piece of a schedule expires with it.
 * Lua, shared by the scripts below (a key written later must not outlive its schedule).
 */
const EXPIRE_WITH_RECORD = `
local function expireWithRecord(record, ...)
  local ttl = redis.call('PTTL', record)
  if ttl > 0 then for _, k in ipairs({...}) do redis.call('PEXPIRE', k, ttl) end end
end`;

/**
 * Saves a result as the next version (when ARGV[3] is not empty) and marks the schedule completed,
 * only while the latest version and the number of sick-leave reports are what the job read.
 * KEYS: record, version counter, sick-leave list, the next version's key.
 * ARGV: expected version, expected reports, result JSON or '', updatedAt. Answers the version, or -1.
 */
const SETTLE = `${EXPIRE_WITH_RECORD}
local raw = redis.call('GET', KEYS[1])
if not raw then return -1 end
local version = tonumber(redis.call('GET', KEYS[2]) or '0')
if version ~= tonumber(ARGV[1]) or redis.call('LLEN', KEYS[3]) ~= tonumber(ARGV[2]) then return -1 end
if ARGV[3] ~= '' then
  version = version + 1
  redis.call('SET', KEYS[4], ARGV[3])
  redis.call('SET', KEYS[2], version)
  expireWithRecord(KEYS[1], KEYS[2], KEYS[4])
end
local r = cjson.decode(raw)
r.status = 'completed'
r.progress = nil
r.error = nil
r.cancelRequestedAt = nil
r.version = version
r.sickLeaves = tonumber(ARGV[2])
r.updatedAt = ARGV[4]
redis.call('SET', KEYS[1], cjson.encode(r), 'KEEPTTL')
return version`;

/** Appends a report (KEYS: record, sick list, version counter; ARGV[1]: report): its count, and the latest version. */
const ADD_SICK = `${EXPIRE_WITH_RECORD}
local count = redis.call('RPUSH', KEYS[2], ARGV[1])
expireWithRecord(KEYS[1], KEYS[2])
return {count, tonumber(redis.call('GET', KEYS[3]) or '0')}`;

/** Bumps the link generation (KEYS: record, generation), expiring with the record. */
const BUMP_LINKS = `${EXPIRE_WITH_RECORD}
local n = redis.call('INCR', KEYS[2])
expireWithRecord(KEYS[1], KEYS[2])
return n`;

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
 * body hash), and listing indexes scored by creation time (ms): `idx:created` (every schedule),
 * `idx:ordning:{ordningId}` and `idx:tenant:{tenantId}`, written and removed in the same
 * transactions as the record.
 *
 * Retention: every key of a schedule expires `retentionMs` after its creation (later pieces take
 * the record's remaining time); index entries older than that are pruned at each create, and an
 * index no schedule was added to for that long expires whole.
 */
export class RedisStore implements ScheduleStore {
  /** `leaseMs`: how soon a dead worker's lock on a schedule frees (renewed while its holder lives). */
  constructor(private redis: Redis, private prefix: string, private leaseMs = 30_000, private retentionMs = 400 * 86_400_000) {}

  private k = (...parts: (string | number)[]) => [this.prefix, ...parts].join(':');

  async create(input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }, tenantId?: string): Promise<CreateOutcome> {
    const now = new Date().toISOString();
    const record: ScheduleRecord = { id: randomUUID(), ordningId: input.ordning.id, status: 'queued', createdAt: now, updatedAt: now, version: 0, ...(tenantId ? { tenantId } : {}) };
    const created = Date.parse(now);
    const ttl = this.retentionMs;
    const tx = this.redis
      .multi()
      .set(this.k('s', record.id), JSON.stringify(record), 'PX', ttl)
      .set(this.k('s', record.id, 'input'), JSON.stringify(input), 'PX', ttl);
    for (const index of this.indexes(input.ordning.id, tenantId))
      tx.zadd(index, created, record.id).zremrangebyscore(index, '-inf', `(${created - ttl}`).pexpire(index, ttl);
    if (idempotency) tx.set(this.k('s', record.id, 'idem'), idempotency.key, 'PX', ttl);
    try {
      await tx.exec();
    } catch (err) {
      void this.undoCreate(record.id, undefined, input.ordning.id, tenantId).catch(() => {}); // timed out, it may still run on a Redis that hangs
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
      if (await this.redis.set(key, claim, 'PX', this.retentionMs, 'NX')) return { kind: 'created', record };
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

  /** The listing indexes a schedule is in. */
  private indexes(ordningId: string | undefined, tenantId: string | undefined): string[] {
    return [this.k('idx', 'created'), ...(ordningId ? [this.k('idx', 'ordning', ordningId)] : []), ...(tenantId ? [this.k('idx', 'tenant', tenantId)] : [])];
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
    // A tenant's own index, but `local` (no keys) owns every schedule, listed in idx:created.
    const index = query.ordningId ? this.k('idx', 'ordning', query.ordningId) : query.tenantId && query.tenantId !== 'local' ? this.k('idx', 'tenant', query.tenantId) : this.k('idx', 'created');
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

  async update(id: string, patch: RecordPatch) {
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
    const { ordningId, tenantId } = raw ? (JSON.parse(raw) as ScheduleRecord) : ({} as Partial<ScheduleRecord>);
    const pieces = [this.k('s', id, 'input'), this.k('s', id, 'versions'), this.k('s', id, 'sick'), this.k('s', id, 'idem'), this.k('s', id, 'links'), ...Array.from({ length: Number(versions ?? 0) }, (_, i) => this.k('s', id, 'v', i + 1))];
    const tx = this.redis.multi().del(this.k('s', id)).del(...pieces);
    for (const index of this.indexes(ordningId, tenantId)) tx.zrem(index, id);
    if (idem) tx.eval(UNCLAIM, 1, this.k('idem', idem), id);
    const [[, removed] = []] = (await tx.exec()) ?? [];
    return removed === 1;
  }

  /** Sent without a read first, so it removes the id from every tenant index it could be in. */
  async undoCreate(id: string, idempotencyKey?: string, ordningId?: string, tenantId?: string) {
    const tx = this.redis.multi().del(this.k('s', id), this.k('s', id, 'input'), this.k('s', id, 'idem'));
    for (const index of this.indexes(ordningId, tenantId)) tx.zrem(index, id);
    if (idempotencyKey) tx.eval(UNCLAIM, 1, this.k('idem', idempotencyKey), id);
    await tx.exec();
  }

  async addSickLeave(id: string, sick: SickLeaveRequest) {
    // One script: no save can land between counting the report and reading the version.
    const [count, version] = (await this.redis.eval(ADD_SICK, 3, this.k('s', id), this.k('s', id, 'sick'), this.k('s', id, 'versions'), JSON.stringify(sick))) as [number, number];
    return { count, version };
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
    return Number(await this.redis.eval(BUMP_LINKS, 2, this.k('s', id), this.k('s', id, 'links')));
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
