import { DateTime } from 'luxon';
import { RULES, ruleParameters, type ScheduleRequest, type ScheduleResult } from '../../solver/index.ts';
import { period } from '../../solver/normalise.ts';
import { round2 } from '../../solver/budget.ts';
import type { PlannedShift } from '../../solver/result.ts';
import type { Ordning, TimesheetEntry } from './schemas.ts';
import { hoursBetween, isoAt, localMs, vedtakHoursIn, vedtakOn, yearStart } from './vedtak.ts';

/**
 * The year's hour bank of an ordning: what the vedtak grants, what the plans hold, what was worked.
 * "Used" is what was worked, plus what is planned from `asOf` on and not yet registered; the
 * forecast adds the vedtak's own hours for the days after `asOf` that no plan covers yet.
 * `asOf` defaults to the end of the last registered hour of the year (or its start): the bank is
 * kept up to the last registration, whatever the clock says.
 */

export interface Plan { scheduleId: string; createdAt: string; request: ScheduleRequest; result: ScheduleResult }

interface WeekFigures { week: string; from: string; to: string; vedtakHours: number; plannedHours: number; workedHours: number; plannedAheadHours: number; balanceHours: number; forecastUsed: number; unplanned: number }
interface Piece { start: number; end: number; factor: number }
const WEEK = 7 * 86_400_000;
/** Work PLAN_RULES checks are about a plan's needs and limits, not about the hours a person worked. */
const PLAN_RULES = new Set(['coverage', 'pinned', 'vedtak-cap', 'availability', 'skills']);

const clipped = (p: Piece, a: number, b: number) => hoursBetween(Math.max(p.start, a), Math.min(p.end, b)) * p.factor;
const sumIn = (ps: Piece[], a: number, b: number) => ps.reduce((t, p) => t + clipped(p, a, b), 0);

/** Parts of [a, b) no span covers. */
function uncovered(a: number, b: number, spans: { start: number; end: number }[]): [number, number][] {
  let parts: [number, number][] = [[a, b]];
  for (const s of spans) parts = parts.flatMap(([x, y]): [number, number][] => (s.end <= x || s.start >= y ? [[x, y]] : [...(s.start > x ? [[x, s.start] as [number, number]] : []), ...(s.end < y ? [[s.end, y] as [number, number]] : [])]));
  return parts;
}

/** Vedtak hours per clock hour: passive hours count with the factor in force the day they start. */
const factorOf = (o: Ordning) => (kind: string, startMs: number) => (kind === 'passive' ? (vedtakOn(o, DateTime.fromMillis(startMs, { zone: o.timezone }).toISODate()!)?.passiveHoursFactor ?? 1) : 1);

/** The year's worked entries as pieces, and the bank's asOf: given, or the end of the last registered hour. */
function workedIn(o: Ordning, entries: TimesheetEntry[], year: number, asOfLocal?: string) {
  const zone = o.timezone;
  const y0 = yearStart(year, zone);
  const y1 = yearStart(year + 1, zone);
  const factor = factorOf(o);
  const worked = entries.map((e) => ({ e, start: localMs(e.start, zone), end: localMs(e.end, zone) })).filter((w) => w.end > y0 && w.start < y1);
  const pieces: Piece[] = worked.map((w) => ({ start: w.start, end: w.end, factor: factor(w.e.kind, w.start) }));
  const lastWorked = Math.max(y0, ...worked.map((w) => Math.min(w.end, y1)));
  const asOf = Math.min(y1, Math.max(y0, asOfLocal ? localMs(asOfLocal, zone) : lastWorked));
  return { y0, y1, asOf, pieces, entries: worked.map((w) => w.e) };
}

/**
 * Every planned place of the ordning's plans, one piece per assistant on a shift: later plans
 * replace earlier ones over their period; `realised` when an entry names the shift as worked.
 */
function plannedIn(o: Ordning, entries: TimesheetEntry[], plans: Plan[]) {
  const factor = factorOf(o);
  const ordered = [...plans].sort((x, y) => x.createdAt.localeCompare(y.createdAt));
  const spans = ordered.map((p) => ({ start: period(p.request).start, end: period(p.request).end }));
  const realised = new Set(entries.filter((e) => e.plannedShiftId).map((e) => `${e.plannedShiftId}|${e.assistantId}`));
  const pieces: (Piece & { realised: boolean })[] = [];
  ordered.forEach((p, k) => {
    for (const s of p.result.shifts) {
      const start = Date.parse(s.start);
      if (spans.slice(k + 1).some((sp) => start >= sp.start && start < sp.end)) continue;
      for (const a of s.assistantIds) pieces.push({ start, end: Date.parse(s.end), factor: factor(s.kind, start), realised: realised.has(`${s.id}|${a}`) });
    }
  });
  return { spans, pieces };
}

export function hourBank(o: Ordning, entries: TimesheetEntry[], plans: Plan[], year: number, asOfLocal?: string) {
  const zone = o.timezone;
  const { y0, y1, asOf, pieces: workedPieces, entries: yearEntries } = workedIn(o, entries, year, asOfLocal);
  const { spans, pieces: planned } = plannedIn(o, entries, plans);
  // Planned hours still to come: from asOf, and not already registered as worked.
  const ahead = planned.filter((p) => p.start >= asOf && !p.realised);
  const unplannedVedtak = (a: number, b: number) => uncovered(Math.max(a, asOf), b, spans).reduce((t, [x, y]) => t + (y > x ? vedtakHoursIn(o, x, y) : 0), 0);

  const weeks: WeekFigures[] = [];
  for (let ws = DateTime.fromMillis(y0, { zone }).startOf('week').toMillis(); ws < y1; ws = DateTime.fromMillis(ws, { zone }).plus({ weeks: 1 }).toMillis()) {
    const a = Math.max(ws, y0);
    const b = Math.min(DateTime.fromMillis(ws, { zone }).plus({ weeks: 1 }).toMillis(), y1);
    const vedtak = vedtakHoursIn(o, a, b);
    const w = sumIn(workedPieces, a, b);
    const ah = sumIn(ahead, a, b);
    const unplanned = unplannedVedtak(a, b);
    weeks.push({ week: DateTime.fromMillis(ws, { zone }).toFormat("kkkk-'W'WW"), from: isoAt(a, zone), to: isoAt(b, zone), vedtakHours: vedtak, plannedHours: sumIn(planned, a, b), workedHours: w, plannedAheadHours: ah, balanceHours: vedtak - w - ah, forecastUsed: w + ah + unplanned, unplanned });
  }
  const total = (f: (w: WeekFigures) => number) => weeks.reduce((t, w) => t + f(w), 0);
  const yearVedtak = total((w) => w.vedtakHours);
  const workedAll = total((w) => w.workedHours);
  const aheadAll = total((w) => w.plannedAheadHours);
  const unplannedAll = total((w) => w.unplanned);
  const used = workedAll + aheadAll + unplannedAll;
  let cumulative = 0;
  const runsOut = weeks.find((w) => (cumulative += w.forecastUsed) > yearVedtak + 1e-6);

  return {
    year,
    asOf: isoAt(asOf, zone),
    weeks: weeks.map((w) => ({ week: w.week, from: w.from, to: w.to, vedtakHours: round2(w.vedtakHours), plannedHours: round2(w.plannedHours), workedHours: round2(w.workedHours), plannedAheadHours: round2(w.plannedAheadHours), balanceHours: round2(w.balanceHours) })),
    total: { vedtakHours: round2(yearVedtak), plannedHours: round2(total((w) => w.plannedHours)), workedHours: round2(workedAll), plannedAheadHours: round2(aheadAll), balanceHours: round2(yearVedtak - workedAll - aheadAll) },
    yearToDate: { vedtakHours: round2(vedtakHoursIn(o, y0, asOf)), workedHours: round2(sumIn(workedPieces, y0, asOf)), balanceHours: round2(vedtakHoursIn(o, y0, asOf) - sumIn(workedPieces, y0, asOf)) },
    forecast: { workedHours: round2(workedAll), plannedAheadHours: round2(aheadAll), unplannedVedtakHours: round2(unplannedAll), usedHours: round2(used), balanceHours: round2(yearVedtak - used) },
    overforbruk: used > yearVedtak + 1e-6 ? { hours: round2(used - yearVedtak), runsOutWeek: runsOut?.week ?? null } : null,
    assistants: assistantFigures(o, yearEntries, y0, y1, asOf),
  };
}

/** Hours each assistant worked in the year against their contract up to asOf, and the rules broken. */
function assistantFigures(o: Ordning, entries: TimesheetEntry[], y0: number, y1: number, asOf: number) {
  const zone = o.timezone;
  const params = ruleParameters(o.rules.profile, o.rules.overrides);
  const violations = workedViolations(o, entries);
  const from = Math.max(y0, localMs(o.vedtak.from, zone));
  const weeksSoFar = Math.max(0, asOf - from) / WEEK;
  return o.assistants.map((a) => {
    const mine = entries.filter((e) => e.assistantId === a.id);
    const hours = mine.reduce((t, e) => t + hoursBetween(Math.max(localMs(e.start, zone), y0), Math.min(localMs(e.end, zone), y1)), 0);
    const contract = (a.positionPercent / 100) * params.fullTimeWeekHours * weeksSoFar;
    return {
      id: a.id,
      workedHours: round2(hours),
      contractHours: round2(contract),
      deviationHours: round2(hours - contract),
      overtimeHours: round2(Math.max(0, hours - contract)),
      violations: violations.filter((v) => v.assistantId === a.id).map((v) => ({ rule: v.rule, entryIds: v.shiftIds, detail: v.detail })),
    };
  });
}

/** The checker that proves plans legal, fed the worked entries as a plan. */
export function workedViolations(o: Ordning, entries: TimesheetEntry[]) {
  if (entries.length === 0) return [];
  const zone = o.timezone;
  const starts = entries.map((e) => localMs(e.start, zone));
  const ends = entries.map((e) => localMs(e.end, zone));
  const first = DateTime.fromMillis(Math.min(...starts), { zone }).startOf('week');
  const weeks = Math.ceil((Math.max(...ends) - first.toMillis()) / WEEK) + 1;
  const year = first.year;
  const request = {
    ordning: { id: o.id, timezone: zone, vedtak: { hoursPerWeek: o.vedtak.hoursPerWeek, year, passiveHoursFactor: o.vedtak.passiveHoursFactor, capMode: 'soft' } },
    period: { start: first.toISODate()!, weeks },
    rules: o.rules,
    needs: [],
    assistants: o.assistants.map((a) => ({ id: a.id, positionPercent: a.positionPercent, skills: [], unavailable: [], preferences: [] })),
    pinned: [],
    solver: { timeLimitSeconds: 1, relativeGap: 0, engine: 'auto' },
  } as ScheduleRequest;
  const shifts: PlannedShift[] = entries.map((e, i) => ({ id: e.id, needId: 'worked', start: isoAt(starts[i]!, zone), end: isoAt(ends[i]!, zone), hours: round2(hoursBetween(starts[i]!, ends[i]!)), kind: e.kind, assistantIds: [e.assistantId], sources: ['team'] }));
  const input = { request, params: ruleParameters(o.rules.profile, o.rules.overrides), shifts };
  return RULES.filter((r) => !PLAN_RULES.has(r.name)).flatMap((r) => r.check(input));
}

/** Hours of the vedtak year used before a local date: worked before it, and planned before it from asOf on and not yet worked. */
export function usedBefore(o: Ordning, entries: TimesheetEntry[], plans: Plan[], year: number, beforeLocalDate: string): number {
  const cut = localMs(beforeLocalDate, o.timezone);
  const { y0, asOf, pieces } = workedIn(o, entries, year);
  const ahead = plannedIn(o, entries, plans).pieces.filter((p) => p.start >= asOf && !p.realised);
  return round2(sumIn(pieces, y0, cut) + sumIn(ahead, y0, cut));
}
