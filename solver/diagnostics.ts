import { DateTime } from 'luxon';
import { round2, vedtakFrame, vedtakHours } from './budget.ts';
import { calendarWeeks, isNightShift, sundayHolidayPeriods, weekends } from './calendar.ts';
import { ms, workByAssistant } from './check/input.ts';
import { shorterWeek } from './check/windows.ts';
import { period } from './normalise.ts';
import type { ScheduleRequest } from './request.ts';
import type { RuleParameters } from './rules/parameters.ts';
import type { AssistantSummary, Budget, Overforbruk, PlannedShift } from './result.ts';
import type { VedtakFrame } from './budget.ts';

export interface DiagnoseInput {
  request: ScheduleRequest;
  params: RuleParameters;
  shifts: PlannedShift[];
  /** Shifts left (partly) empty because the vedtak cap ran out. */
  droppedShiftIds: string[];
  /** Assistants whose contract hours count for fairness (the team; pool members have none here). */
  teamIds?: Set<string>;
}

export interface Diagnosis {
  budget: Budget;
  assistants: AssistantSummary[];
  fairness: { maxRelativeDeviation: number; meanAbsoluteDeviationHours: number };
}

const hoursOf = (s: PlannedShift) => (ms(s.end) - ms(s.start)) / 3_600_000;

/** Hour budget, per-assistant figures and fairness, from the plan's clock times. Sums first, rounding last. */
export function diagnose(input: DiagnoseInput): Diagnosis {
  const { request, params, shifts } = input;
  const zone = request.ordning.timezone;
  const vh = (s: PlannedShift) => vedtakHours(hoursOf(s), s.kind, request);
  const needs = new Map(request.needs.map((n) => [n.id, n]));
  const night = (s: PlannedShift) => isNightShift(ms(s.start), ms(s.end), zone, params.nightStart, params.nightEnd);

  const needed = shifts.reduce((t, s) => t + vh(s) * (needs.get(s.needId)?.assistants ?? s.assistantIds.length), 0);
  const planned = shifts.reduce((t, s) => t + vh(s) * s.assistantIds.length, 0);
  const frame = vedtakFrame(request);
  const calWeeks = calendarWeeks(request.period.start, request.period.weeks, zone);
  const plannedIn = (from: number, to: number) => shifts.filter((s) => ms(s.start) >= from && ms(s.start) < to).reduce((t, s) => t + vh(s) * s.assistantIds.length, 0);
  // The weekly lines show the frame actually used: the remaining hours spread, or the explicit period hours.
  const weeks = calWeeks.map((w, k) => {
    const p = plannedIn(w.start, w.end);
    const v = frame.weekly[k] ?? 0;
    return { week: w.label, vedtakHours: round2(v), plannedHours: round2(p), balanceHours: round2(v - p) };
  });
  const yearEnd = DateTime.fromObject({ year: request.ordning.vedtak.year + 1, month: 1, day: 1 }, { zone });
  const plannedInYear = plannedIn(-Infinity, yearEnd.toMillis());
  // The year's forecast: used before the period, planned in the period (its part in the vedtak year),
  // and the vedtak's weekly figure for the weeks of the year after the period, which no plan covers yet.
  const periodEnd = DateTime.fromISO(request.period.start, { zone }).plus({ weeks: request.period.weeks });
  const weeksAfter = Math.max(0, yearEnd.diff(periodEnd, 'days').days / 7);
  const used = frame.usedBeforePeriod + plannedInYear;
  const projected = frame.yearHours - used - request.ordning.vedtak.hoursPerWeek * weeksAfter;
  const dropped = new Set(input.droppedShiftIds);
  const overforbruk = overforbrukOf(frame, calWeeks, plannedIn, yearEnd.toMillis(), request.ordning.vedtak.hoursPerWeek, planned, projected);

  const budget: Budget = {
    vedtakHoursInPeriod: round2(frame.periodCap),
    neededHours: round2(needed),
    plannedHours: round2(planned),
    unfilledHours: round2(needed - planned),
    balanceHours: round2(frame.periodCap - planned),
    weeks,
    yearForecast: {
      vedtakHours: round2(frame.yearHours),
      usedHours: round2(used),
      projectedBalanceHours: round2(projected),
    },
    droppedNeeds: shifts
      .filter((s) => dropped.has(s.id))
      .map((s) => ({ shiftId: s.id, priority: needs.get(s.needId)?.priority ?? 'essential', hours: round2(vh(s) * ((needs.get(s.needId)?.assistants ?? 0) - s.assistantIds.length)) })),
    ...(overforbruk ? { overforbruk } : {}),
  };

  // The shorter full-time week for whoever works nights or every third Sunday, as the checker reads it.
  const work = workByAssistant({ request, params, shifts });
  const fullTime = (id: string) => (shorterWeek({ request, params, shifts }, work.get(id) ?? []) ? params.fullTimeWeekHoursWithNight : params.fullTimeWeekHours);
  const span = period(request);
  const sundays = sundayHolidayPeriods(span.start, span.end, zone);
  const weekendSpans = weekends(span.start, span.end, zone);
  const assistantIds = [...new Set([...request.assistants.map((a) => a.id), ...shifts.flatMap((s) => s.assistantIds)])];
  const percent = new Map(request.assistants.map((a) => [a.id, a.positionPercent]));
  const assistants = assistantIds.map((id) => {
    const mine = shifts.filter((s) => s.assistantIds.includes(id));
    const hours = mine.reduce((t, s) => t + hoursOf(s), 0);
    const target = input.teamIds && !input.teamIds.has(id) ? 0 : ((percent.get(id) ?? 0) / 100) * fullTime(id) * request.period.weeks;
    const touches = (p: { start: number; end: number }) => mine.some((s) => ms(s.end) > p.start && ms(s.start) < p.end);
    return {
      raw: { hours, target },
      summary: {
        id,
        plannedHours: round2(hours),
        targetHours: round2(target),
        deviationHours: round2(hours - target),
        nights: mine.filter(night).length,
        weekendsWorked: weekendSpans.filter(touches).length,
        sundaysWorked: sundays.filter(touches).length,
      },
    };
  });
  const withTarget = assistants.filter((a) => a.raw.target > 0);
  const fairness = {
    maxRelativeDeviation: round2(Math.max(0, ...withTarget.map((a) => Math.abs(a.raw.hours - a.raw.target) / a.raw.target))),
    meanAbsoluteDeviationHours: round2(withTarget.reduce((t, a) => t + Math.abs(a.raw.hours - a.raw.target), 0) / Math.max(1, withTarget.length)),
  };
  return { budget, assistants: assistants.map((a) => a.summary), fairness };
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Overforbruk: the plan past its frame, or the year forecast below zero. The week the year's hours
 * run out: the remaining hours at the period's start, less each week's planned hours, then (after
 * the period) the vedtak's weekly figure, until they pass zero; null if they last the year.
 */
function overforbrukOf(frame: VedtakFrame, weeks: { label: string; start: number; end: number }[], plannedIn: (from: number, to: number) => number, yearEnd: number, hoursPerWeek: number, planned: number, projected: number): Overforbruk | null {
  const overPeriod = planned - frame.periodCap;
  if (overPeriod <= 1e-6 && projected >= -1e-6) return null;
  let left = frame.remainingHours;
  let runsOutWeek: string | null = null;
  for (const w of weeks) {
    if (w.start >= yearEnd) break;
    left -= plannedIn(w.start, Math.min(w.end, yearEnd));
    if (left < -1e-6) { runsOutWeek = w.label; break; }
  }
  if (runsOutWeek === null && weeks.length > 0) {
    for (let t = weeks.at(-1)!.end; t < yearEnd; t += WEEK_MS) {
      left -= (hoursPerWeek * Math.min(WEEK_MS, yearEnd - t)) / WEEK_MS;
      if (left < -1e-6) { runsOutWeek = isoWeekLabel(t); break; }
    }
  }
  return { periodHours: round2(Math.max(0, overPeriod)), yearHours: round2(Math.max(0, -projected)), runsOutWeek };
}

const isoWeekLabel = (t: number) => DateTime.fromMillis(t, { zone: 'utc' }).plus({ hours: 12 }).toFormat("kkkk-'W'WW");
