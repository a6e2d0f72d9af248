import type { ScheduleRecord, ScheduleStatus } from '../ports.ts';

/**
 * Schedules are listed newest first: by creation time, then by id (descending) among those created
 * in the same millisecond, the order a Redis sorted set scored by creation time gives in reverse.
 * A cursor is the position of the last schedule a page saw, opaque to clients.
 */
export interface Position { createdMs: number; id: string }

export interface ListQuery {
  ordningId?: string;
  status?: ScheduleStatus;
  /** Only this tenant's schedules (records without one are `local`'s). */
  tenantId?: string;
  limit: number;
  /** Where the previous page ended (from its `nextCursor`). */
  after?: Position;
}

export interface ListPage { items: ScheduleRecord[]; next: Position | null }

/** At most this many schedules are read for one page: a rare filter answers a shorter page, never a slow one. */
export const SCAN_BUDGET = 1000;

export const encodeCursor = (p: Position): string => Buffer.from(`${p.createdMs}:${p.id}`).toString('base64url');

export function decodeCursor(cursor: string): Position | null {
  const match = /^(\d{1,15}):([\w.:-]{1,100})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return match ? { createdMs: Number(match[1]), id: match[2]! } : null;
}

export const positionOf = (r: Pick<ScheduleRecord, 'id' | 'createdAt'>): Position => ({ createdMs: Date.parse(r.createdAt), id: r.id });

/** True when `p` comes after `cursor` in the listing order (older, or as old with a smaller id). */
export const isAfter = (p: Position, cursor: Position | undefined): boolean =>
  !cursor || p.createdMs < cursor.createdMs || (p.createdMs === cursor.createdMs && p.id < cursor.id);

export const matches = (r: ScheduleRecord, q: ListQuery): boolean =>
  (!q.ordningId || r.ordningId === q.ordningId) && (!q.status || r.status === q.status) && (!q.tenantId || (r.tenantId ?? 'local') === q.tenantId);
