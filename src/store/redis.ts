import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ScheduleRequest, SickLeaveRequest } from '../../solver/request.ts';
import type { ScheduleResult } from '../../solver/result.ts';
import type { CreateOutcome, ScheduleRecord, ScheduleStore } from '../ports.ts';

/** Frees an idempotency key only while it still names the given schedule (KEYS[1]: key, ARGV[1]: id). */
const UNCLAIM = `
local claim = redis.call('GET', KEYS[1])
if claim and cjson.decode(claim).id == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface Claim { id: string; bodyHash: string }

/**
 * Schedules in Redis, under one prefix: `s:{id}` (record), `s:{id}:input`, `s:{id}:v:{n}`
 * (results), `s:{id}:idem` (the idempotency key it was created with), `idem:{key}` (idempotency
 * key -> id and body hash).
 */
export class RedisStore implements ScheduleStore {
  constructor(private redis: Redis, private prefix: string) {}

  private k = (...parts: (string | number)[]) => [this.prefix, ...parts].join(':');

  async create(input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }): Promise<CreateOutcome> {
    const now = new Date().toISOString();
    const record: ScheduleRecord = { id: randomUUID(), status: 'queued', createdAt: now, updatedAt: now, version: 0 };
    const tx = this.redis.multi().set(this.k('s', record.id), JSON.stringify(record)).set(this.k('s', record.id, 'input'), JSON.stringify(input));
    if (idempotency) tx.set(this.k('s', record.id, 'idem'), idempotency.key);
    try {
      await tx.exec();
    } catch (err) {
      void this.undoCreate(record.id).catch(() => {}); // timed out, it may still run on a Redis that hangs
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

  async getInput(id: string) {
    const raw = await this.redis.get(this.k('s', id, 'input'));
    return raw ? (JSON.parse(raw) as ScheduleRequest) : null;
  }

  async update(id: string, patch: Partial<Pick<ScheduleRecord, 'status' | 'progress' | 'error'>>) {
    const r = await this.get(id);
    if (r) await this.redis.set(this.k('s', id), JSON.stringify({ ...r, ...patch, updatedAt: new Date().toISOString() }), 'XX');
  }

  async saveResult(id: string, result: ScheduleResult) {
    const version = await this.redis.incr(this.k('s', id, 'versions'));
    const r = await this.get(id);
    const record = r && { ...r, status: 'completed' as const, progress: undefined, error: undefined, version, updatedAt: new Date().toISOString() };
    const tx = this.redis.multi().set(this.k('s', id, 'v', version), JSON.stringify({ ...result, version }));
    if (record) tx.set(this.k('s', id), JSON.stringify(record));
    await tx.exec();
    return version;
  }

  async getVersion(id: string, version: number) {
    const raw = await this.redis.get(this.k('s', id, 'v', version));
    return raw ? (JSON.parse(raw) as ScheduleResult) : null;
  }

  /** Removes every key of the schedule and frees its idempotency key, in one transaction. */
  async delete(id: string) {
    const [versions, idem] = await this.redis.mget(this.k('s', id, 'versions'), this.k('s', id, 'idem'));
    const pieces = [this.k('s', id, 'input'), this.k('s', id, 'versions'), this.k('s', id, 'sick'), this.k('s', id, 'idem'), ...Array.from({ length: Number(versions ?? 0) }, (_, i) => this.k('s', id, 'v', i + 1))];
    const tx = this.redis.multi().del(this.k('s', id)).del(...pieces);
    if (idem) tx.eval(UNCLAIM, 1, this.k('idem', idem), id);
    const [[, removed] = []] = (await tx.exec()) ?? [];
    return removed === 1;
  }

  async undoCreate(id: string, idempotencyKey?: string) {
    const tx = this.redis.multi().del(this.k('s', id), this.k('s', id, 'input'), this.k('s', id, 'idem'));
    if (idempotencyKey) tx.eval(UNCLAIM, 1, this.k('idem', idempotencyKey), id);
    await tx.exec();
  }

  async addSickLeave(id: string, sick: SickLeaveRequest) {
    return this.redis.rpush(this.k('s', id, 'sick'), JSON.stringify(sick));
  }

  async getSickLeave(id: string, n: number) {
    const raw = await this.redis.lindex(this.k('s', id, 'sick'), n - 1);
    return raw ? (JSON.parse(raw) as SickLeaveRequest) : null;
  }

  async ping() {
    await this.redis.ping();
  }

  async close() {}
}
