import type { AccessStore, ApiKey, AuditEntry } from '../ports.ts';

/** Audit entries kept, newest last; the oldest go first. */
export const AUDIT_MAX = 10_000;

/** The embedded access store: keys, audit and rate windows in this process (gone at a restart). */
export class MemoryAccessStore implements AccessStore {
  private byHash = new Map<string, ApiKey>();
  private log: (AuditEntry & { seq: number })[] = [];
  private seq = 0;
  private windows = new Map<string, number>();

  async addKey(key: ApiKey, hash: string) {
    this.byHash.set(hash, { ...key });
  }

  async keyByHash(hash: string) {
    const k = this.byHash.get(hash);
    return k ? { ...k } : null;
  }

  async revokeKey(id: string) {
    for (const [hash, k] of this.byHash) {
      if (k.id !== id) continue;
      this.byHash.delete(hash);
      return k;
    }
    return null;
  }

  async audit(entry: AuditEntry) {
    this.log.push({ ...entry, seq: ++this.seq });
    if (this.log.length > AUDIT_MAX) this.log.splice(0, this.log.length - AUDIT_MAX);
  }

  async auditLog({ tenantId, cursor, limit }: { tenantId?: string; cursor?: string; limit: number }) {
    const before = cursor === undefined ? Infinity : Number(cursor);
    const older = this.log.filter((e) => e.seq < before && (!tenantId || e.tenantId === tenantId)).reverse();
    const page = older.slice(0, limit);
    return { entries: page.map(({ seq, ...e }) => e), next: older.length > limit ? String(page.at(-1)!.seq) : null };
  }

  async hit(bucket: string, windowSeconds: number) {
    const now = Date.now() / 1000;
    const window = Math.floor(now / windowSeconds);
    const slot = `${bucket}:${window}`;
    const count = (this.windows.get(slot) ?? 0) + 1;
    if (count === 1) for (const k of this.windows.keys()) if (!k.endsWith(`:${window}`)) this.windows.delete(k); // past windows
    this.windows.set(slot, count);
    return { count, resetSeconds: Math.max(1, Math.ceil((window + 1) * windowSeconds - now)) };
  }
}
