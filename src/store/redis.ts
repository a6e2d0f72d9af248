import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ScheduleRequest, SickLeaveRequest } from '../../solver/request.ts';
import type { ScheduleResult } from '../../solver/result.ts';
import type { CreateOutcome, ScheduleRecord, ScheduleStore } from '../ports.ts';

/**
 * Schedules in Redis, under one prefix: `s:{id}` (record), `s:{id}:input`, `s:{id}:v:{n}`
 * (results), `idem:{key}` (idempotency key -> id and body hash).
 */
export class RedisStore implements ScheduleStore {
  constructor(private redis: Redis, private prefix: string) {}

  private k = (...parts: (string | number)[]) => [this.prefix, ...parts].join(':');

  async create(input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }): Promise<CreateOutcome> {
    const now = new Date().toISOString();
    const record: ScheduleRecord = { id: randomUUID(), status: 'queued', createdAt: now, updatedAt: now, version: 0 };
    await this.redis.multi().set(this.k('s', record.id), JSON.stringify(record)).set(this.k('s', record.id, 'input'), JSON.stringify(input)).exec();
    if (!idempotency) return { kind: 'created', record };
    // The record exists before the key is claimed, so whoever loses the SET NX race finds it.
    const claim = JSON.stringify({ id: record.id, bodyHash: idempotency.bodyHash });
    if (await this.redis.set(this.k('idem', idempotency.key), claim, 'NX')) return { kind: 'created', record };
    await this.delete(record.id);
    const seen = JSON.parse((await this.redis.get(this.k('idem', idempotency.key))) ?? 'null') as { id: string; bodyHash: string } | null;
    const existing = seen && seen.bodyHash === idempotency.bodyHash ? await this.get(seen.id) : null;
    return existing ? { kind: 'existing', record: existing } : { kind: 'conflict' };
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

  async delete(id: string) {
    const versions = Number((await this.redis.get(this.k('s', id, 'versions'))) ?? 0);
    const keys = [this.k('s', id), this.k('s', id, 'input'), this.k('s', id, 'versions'), this.k('s', id, 'sick'), ...Array.from({ length: versions }, (_, i) => this.k('s', id, 'v', i + 1))];
    return (await this.redis.del(...keys)) > 0;
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
