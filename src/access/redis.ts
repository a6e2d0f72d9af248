import type { Redis } from 'ioredis';
import type { AccessStore, ApiKey, AuditEntry } from '../ports.ts';
import { AUDIT_MAX } from './memory.ts';

/**
 * Access in Redis, under its own prefix: `key:{sha256}` (the key's record), `keyid:{id}` (its
 * hash, to revoke by id), `audit` and `audit:{tenantId}` (streams capped at AUDIT_MAX entries),
 * `rl:{keyId}:{window}` (a fixed rate-limit window, expiring with it).
 */
export class RedisAccessStore implements AccessStore {
  constructor(private redis: Redis, private prefix: string) {}

  private k = (...parts: (string | number)[]) => [this.prefix, ...parts].join(':');

  async addKey(key: ApiKey, hash: string) {
    await this.redis.multi().set(this.k('key', hash), JSON.stringify(key)).set(this.k('keyid', key.id), hash).exec();
  }

  async keyByHash(hash: string) {
    const raw = await this.redis.get(this.k('key', hash));
    return raw ? (JSON.parse(raw) as ApiKey) : null;
  }

  async revokeKey(id: string) {
    const hash = await this.redis.get(this.k('keyid', id));
    if (!hash) return null;
    const [[, raw]] = (await this.redis.multi().get(this.k('key', hash)).del(this.k('key', hash), this.k('keyid', id)).exec()) as [[unknown, string | null]];
    return raw ? (JSON.parse(raw) as ApiKey) : null;
  }

  async audit(entry: AuditEntry) {
    const fields = Object.entries(entry).flat();
    await this.redis
      .multi()
      .xadd(this.k('audit'), 'MAXLEN', '~', AUDIT_MAX, '*', ...fields)
      .xadd(this.k('audit', entry.tenantId), 'MAXLEN', '~', AUDIT_MAX, '*', ...fields)
      .exec();
  }

  async auditLog({ tenantId, cursor, limit }: { tenantId?: string; cursor?: string; limit: number }) {
    const stream = tenantId ? this.k('audit', tenantId) : this.k('audit');
    const rows = await this.redis.xrevrange(stream, cursor ? `(${cursor}` : '+', '-', 'COUNT', limit + 1);
    const page = rows.slice(0, limit);
    const entries = page.map(([, flat]) => Object.fromEntries(Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]])) as unknown as AuditEntry);
    return { entries, next: rows.length > limit ? page.at(-1)![0] : null };
  }

  async hit(bucket: string, windowSeconds: number) {
    const now = Date.now() / 1000;
    const window = Math.floor(now / windowSeconds);
    const slot = this.k('rl', bucket, window);
    const [[, count]] = (await this.redis.multi().incr(slot).expire(slot, windowSeconds + 1).exec()) as [[unknown, number]];
    return { count, resetSeconds: Math.max(1, Math.ceil((window + 1) * windowSeconds - now)) };
  }
}
