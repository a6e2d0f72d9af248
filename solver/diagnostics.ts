import { DateTime } from 'luxon';
import { round2, vedtakFrame, vedtakHours } from './budget.ts';
import { calendarWeeks, isNightShift, sundayHolidayPeriods, weekends } from './calendar.ts';
import { ms, workByAssistant } from './check/input.ts';
import { shorterWeek } from './check/windows.ts';
import { period } from './normalise.ts';
import type { ScheduleRequest } from './request.ts';
import type { RuleParameters } from './rules/parameters.ts';
import type { AssistantSummary, Budget, PlannedShift } from './result.ts';

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
  const weeks = calendarWeeks(request.period.start, request.period.weeks, zone).map((w) => {
    const p = shifts.filter((s) => ms(s.start) >= w.start && ms(s.start) < w.end).reduce((t, s) => t + vh(s) * s.assistantIds.length, 0);
    const v = request.ordning.vedtak.hoursPerWeek;
    return { week: w.label, vedtakHours: round2(v), plannedHours: round2(p), balanceHours: round2(v - p) };
  });
  const periodEnd = DateTime.fromISO(request.period.start).plus({ weeks: request.period.weeks });
  const yearEnd = DateTime.fromObject({ year: request.ordning.vedtak.year + 1, month: 1, day: 1 });
  const weeksLeft = Math.max(0, yearEnd.diff(periodEnd, 'days').days / 7);
  const used = frame.usedBeforePeriod + planned;
  const dropped = new Set(input.droppedShiftIds);

  const budget: Budget = {
    vedtakHoursInPeriod: round2(frame.periodCap),
    neededHours: round2(needed),
    plannedHours: round2(planned),
    unfilledHours: round2(needed - planned),
    balanceHours: round2(frame.periodCap - planned),
    weeks,
    // Assumes the rest of the year is used evenly at the weekly figure.
    yearForecast: {
      vedtakHours: round2(frame.yearHours),
      usedHours: round2(used),
      projectedBalanceHours: round2(frame.yearHours - used - request.ordning.vedtak.hoursPerWeek * weeksLeft),
    },
    droppedNeeds: shifts
      .filter((s) => dropped.has(s.id))
      .map((s) => ({ shiftId: s.id, priority: needs.get(s.needId)?.priority ?? 'essential', hours: round2(vh(s) * ((needs.get(s.needId)?.assistants ?? 0) - s.assistantIds.length)) })),
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
