import { randomBytes, randomUUID } from 'node:crypto';
import type { ScheduleRequest, SickLeaveRequest } from '../../solver/request.ts';
import type { ScheduleResult } from '../../solver/result.ts';
import type { Basis, CreateOutcome, RecordPatch, ScheduleRecord, ScheduleStore } from '../ports.ts';
import { LocalLocks } from '../locks.ts';
import { isAfter, matches, positionOf, SCAN_BUDGET, type ListPage, type ListQuery } from './paging.ts';

export interface MemoryBounds {
  /** Most schedules held; past it the oldest finished ones go first (a live one is never evicted). */
  maxSchedules?: number;
  /** A schedule older than this is evicted once finished, as Redis would expire it. */
  retentionMs?: number;
  /** Hears the ids evicted, to log them (ids only). */
  onEvict?: (ids: string[]) => void;
}

/** The embedded store: one process, nothing on disk, bounded in count and age. */
export class MemoryStore implements ScheduleStore {
  constructor(private bounds: MemoryBounds = {}) {}

  private records = new Map<string, ScheduleRecord>();
  private inputs = new Map<string, ScheduleRequest>();
  private results = new Map<string, ScheduleResult[]>();
  private keys = new Map<string, { id: string; bodyHash: string }>();
  private sick = new Map<string, SickLeaveRequest[]>();
  private locks = new LocalLocks();
  private linkGenerations = new Map<string, number>();
  private secret = randomBytes(32).toString('base64url');

  async create(input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }, tenantId?: string): Promise<CreateOutcome> {
    this.evict();
    if (idempotency) {
      const seen = this.keys.get(idempotency.key);
      const record = seen && this.records.get(seen.id);
      if (seen && record) return seen.bodyHash === idempotency.bodyHash ? { kind: 'existing', record } : { kind: 'conflict' };
    }
    const now = new Date().toISOString();
    const record: ScheduleRecord = { id: randomUUID(), ordningId: input.ordning.id, status: 'queued', createdAt: now, updatedAt: now, version: 0, ...(tenantId ? { tenantId } : {}) };
    this.records.set(record.id, record);
    this.inputs.set(record.id, input);
    if (idempotency) this.keys.set(idempotency.key, { id: record.id, bodyHash: idempotency.bodyHash });
    return { kind: 'created', record };
  }

  /**
   * Makes room before a create: finished schedules past the retention, then the oldest finished
   * ones while over the count. Records are kept in creation order (a Map keeps insertion order).
   */
  private evict() {
    const { maxSchedules = Infinity, retentionMs = Infinity, onEvict } = this.bounds;
    const finished = [...this.records.values()].filter((r) => r.status === 'completed' || r.status === 'failed');
    const cutoff = Date.now() - retentionMs;
    const expired = finished.filter((r) => Date.parse(r.createdAt) < cutoff);
    const over = Math.max(0, this.records.size + 1 - expired.length - maxSchedules);
    const gone = [...expired, ...finished.filter((r) => !expired.includes(r)).slice(0, over)];
    for (const r of gone) void this.delete(r.id);
    if (gone.length > 0) onEvict?.(gone.map((r) => r.id));
  }

  async get(id: string) {
    const r = this.records.get(id);
    return r ? { ...r } : null;
  }

  async list(query: ListQuery): Promise<ListPage> {
    const positioned = [...this.records.values()].map((r) => ({ r, p: positionOf(r) }));
    positioned.sort((a, b) => b.p.createdMs - a.p.createdMs || (a.p.id < b.p.id ? 1 : -1));
    const rest = positioned.filter(({ p }) => isAfter(p, query.after));
    const scanned = rest.slice(0, SCAN_BUDGET);
    const items: ScheduleRecord[] = [];
    for (const [i, { r, p }] of scanned.entries()) {
      if (!matches(r, query)) continue;
      items.push({ ...r });
      if (items.length === query.limit) return { items, next: i + 1 < rest.length ? p : null };
    }
    // The budget ran out before the page filled: the next page starts where the scan stopped.
    return { items, next: rest.length > scanned.length ? scanned.at(-1)!.p : null };
  }

  async getInput(id: string) {
    return this.inputs.get(id) ?? null;
  }

  async update(id: string, patch: RecordPatch) {
    const r = this.records.get(id);
    if (r) this.records.set(id, { ...r, ...patch, updatedAt: new Date().toISOString() });
  }

  /** One process and no await between check and write: the check and the save are one step. */
  async saveResult(id: string, result: ScheduleResult, basis: Basis) {
    if (!this.current(id, basis)) return null;
    const list = this.results.get(id) ?? [];
    const version = list.length + 1;
    list.push({ ...result, version });
    this.results.set(id, list);
    this.settle(id, { version, sickLeaves: basis.sickLeaves });
    return version;
  }

  async markCurrent(id: string, basis: Basis) {
    if (!this.current(id, basis)) return false;
    this.settle(id, basis);
    return true;
  }

  private current(id: string, basis: Basis): boolean {
    return this.records.has(id) && (this.results.get(id)?.length ?? 0) === basis.version && (this.sick.get(id)?.length ?? 0) === basis.sickLeaves;
  }

  private settle(id: string, { version, sickLeaves }: Basis) {
    const r = this.records.get(id)!;
    this.records.set(id, { ...r, status: 'completed', progress: undefined, error: undefined, cancelRequestedAt: undefined, version, sickLeaves, updatedAt: new Date().toISOString() });
  }

  async getVersion(id: string, version: number) {
    return this.results.get(id)?.[version - 1] ?? null;
  }

  async delete(id: string) {
    const existed = this.records.delete(id);
    this.inputs.delete(id);
    this.results.delete(id);
    this.sick.delete(id);
    this.linkGenerations.delete(id);
    for (const [k, v] of this.keys) if (v.id === id) this.keys.delete(k);
    return existed;
  }

  async undoCreate(id: string) {
    await this.delete(id);
  }

  async addSickLeave(id: string, sick: SickLeaveRequest) {
    const list = [...(this.sick.get(id) ?? []), sick];
    this.sick.set(id, list);
    return { count: list.length, version: this.results.get(id)?.length ?? 0 };
  }

  async sickLeaves(id: string) {
    return [...(this.sick.get(id) ?? [])];
  }

  exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(id, fn);
  }

  async linkGeneration(id: string) {
    return this.linkGenerations.get(id) ?? 0;
  }

  async bumpLinkGeneration(id: string) {
    const next = (this.linkGenerations.get(id) ?? 0) + 1;
    this.linkGenerations.set(id, next);
    return next;
  }

  async linkSecret() {
    return this.secret;
  }

  async ping() {}
  async close() {}
}
