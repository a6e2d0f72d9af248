import { isNightShift, sundayHolidayPeriods } from './calendar.ts';
import { normalise, period, type ShiftInstance } from './normalise.ts';
import type { ScheduleRequest } from './request.ts';
import type { RuleParameters } from './rules/parameters.ts';
import { ruleParameters } from './rules/profiles.ts';

/** Everything the steps share about one request. */
export interface Setting {
  request: ScheduleRequest;
  params: RuleParameters;
  shifts: ShiftInstance[];
  span: { start: number; end: number };
  hasNightWork: boolean;
  sundayPeriods: { start: number; end: number; label: string }[];
  targets: Map<string, number>;
}

export function setting(request: ScheduleRequest, poolIds = new Set<string>()): Setting {
  const params = ruleParameters(request.rules.profile, request.rules.overrides);
  const shifts = normalise(request);
  const span = period(request);
  const zone = request.ordning.timezone;
  const hasNightWork = shifts.some((s) => isNightShift(s.start, s.end, zone, params.nightStart, params.nightEnd));
  const fullTime = hasNightWork ? params.fullTimeWeekHoursWithNight : params.fullTimeWeekHours;
  const targets = new Map(
    request.assistants.filter((a) => !poolIds.has(a.id)).map((a) => [a.id, (a.positionPercent / 100) * fullTime * request.period.weeks]),
  );
  return { request, params, shifts, span, hasNightWork, sundayPeriods: sundayHolidayPeriods(span.start, span.end, zone), targets };
}
