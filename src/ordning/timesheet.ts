import { randomUUID } from 'node:crypto';
import type { OrdningStore } from '../ports.ts';
import type { ErrorDetail } from '../errors.ts';
import type { Ordning, TimesheetEntry, WorkedFields } from './schemas.ts';
import { hasVedtakIn, localMs, occursIn, vedtakOn } from './vedtak.ts';

/** Registering and correcting worked hours: the rules every entry keeps, checked atomically. */

/** Why an entry cannot belong to this ordning's timesheet (400), or nothing. */
export function entryProblems(o: Ordning, e: WorkedFields, at = ''): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  if (!o.assistants.some((a) => a.id === e.assistantId)) out.push({ path: `${at}assistantId`, message: `"${e.assistantId}" is not an assistant of this ordning` });
  const startDate = e.start.slice(0, 10);
  const year = Number(startDate.slice(0, 4));
  const skipped = (['start', 'end'] as const).filter((field) => !occursIn(e[field], o.timezone));
  for (const field of skipped) out.push({ path: `${at}${field}`, message: `${e[field]} does not occur in ${o.timezone}: the clocks skip it` });
  if (skipped.length) return out;
  if (!hasVedtakIn(o, year) || !vedtakOn(o, startDate)) out.push({ path: `${at}start`, message: `${startDate} lies outside the vedtak (${o.vedtak.from} to ${o.vedtak.to ?? 'open'})` });
  else if (localMs(e.end, o.timezone) - localMs(e.start, o.timezone) > 24 * 3_600_000) out.push({ path: `${at}end`, message: 'an entry spans at most 24 h: register longer work as several entries' });
  return out;
}

export interface Overlap { entry: WorkedFields & { id?: string }; existing: TimesheetEntry | (WorkedFields & { id?: string }) }

/** Entries of the same assistant whose times overlap. */
function overlapsOf(o: Ordning, entries: (WorkedFields & { id?: string })[], fresh: WorkedFields & { id?: string }): (WorkedFields & { id?: string })[] {
  const s = localMs(fresh.start, o.timezone);
  const e = localMs(fresh.end, o.timezone);
  return entries.filter((x) => x !== fresh && x.assistantId === fresh.assistantId && (x.id === undefined || x.id !== fresh.id) && localMs(x.start, o.timezone) < e && localMs(x.end, o.timezone) > s);
}

export type WriteOutcome<T> = { kind: 'ok'; value: T } | { kind: 'overlap'; overlaps: Overlap[] } | { kind: 'not-found' } | { kind: 'gone' };

/**
 * Read, change, write under the timesheet's revision; a write that lost a race reads again. The
 * overlap check and the write are thereby one step: two racing entries never both land.
 */
async function change<T>(store: OrdningStore, id: string, fn: (entries: TimesheetEntry[]) => WriteOutcome<{ entries: TimesheetEntry[]; value: T }>): Promise<WriteOutcome<T>> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const sheet = await store.timesheet(id);
    const out = fn(sheet.entries);
    if (out.kind !== 'ok') return out;
    if (await store.saveTimesheet(id, sheet.revision, out.value.entries)) return { kind: 'ok', value: out.value.value };
    if (!(await store.get(id))) return { kind: 'gone' };
  }
  throw new Error('timesheet write kept losing races');
}

/** Adds entries (all or none): none may overlap another entry of the same assistant. */
export function addEntries(store: OrdningStore, o: Ordning, fields: WorkedFields[], changedBy?: string) {
  return change<TimesheetEntry[]>(store, o.id, (entries) => {
    const overlaps: Overlap[] = [];
    fields.forEach((f, i) => {
      for (const x of overlapsOf(o, [...entries, ...fields.slice(0, i)], f)) overlaps.push({ entry: f, existing: x });
    });
    if (overlaps.length) return { kind: 'overlap', overlaps };
    const now = new Date().toISOString();
    const added: TimesheetEntry[] = fields.map((f) => ({ ...f, id: randomUUID(), createdAt: now, changedAt: now, ...(changedBy ? { changedBy } : {}), history: [] }));
    return { kind: 'ok', value: { entries: [...entries, ...added], value: added } };
  });
}

/** Replaces an entry's fields, keeping its earlier form in its history. */
export function correctEntry(store: OrdningStore, o: Ordning, entryId: string, fields: WorkedFields, changedBy?: string) {
  return change<TimesheetEntry>(store, o.id, (entries) => {
    const old = entries.find((e) => e.id === entryId);
    if (!old) return { kind: 'not-found' };
    const candidate = { ...fields, id: entryId };
    const overlaps = overlapsOf(o, entries, candidate).map((x) => ({ entry: candidate, existing: x }));
    if (overlaps.length) return { kind: 'overlap', overlaps };
    const now = new Date().toISOString();
    const { id: _id, createdAt, history, changedAt, changedBy: before, ...was } = old;
    const next: TimesheetEntry = { ...fields, id: entryId, createdAt, changedAt: now, ...(changedBy ? { changedBy } : {}), history: [...history, { ...was, changedAt, ...(before ? { changedBy: before } : {}), replacedAt: now, ...(changedBy ? { replacedBy: changedBy } : {}) }] };
    return { kind: 'ok', value: { entries: entries.map((e) => (e.id === entryId ? next : e)), value: next } };
  });
}
