import { sundayHolidayPeriods } from './calendar.ts';
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
  sundayPeriods: { start: number; end: number; label: string }[];
  /** Each team member's contract hours for the period on the full-time week (`fullTimeWeekHours`). */
  targets: Map<string, number>;
}

export function setting(request: ScheduleRequest, poolIds = new Set<string>()): Setting {
  const params = ruleParameters(request.rules.profile, request.rules.overrides);
  const shifts = normalise(request);
  const span = period(request);
  const zone = request.ordning.timezone;
  // Contract hours on the full-time week; the model shortens it for whoever works nights or every third Sunday.
  const targets = new Map(
    request.assistants.filter((a) => !poolIds.has(a.id)).map((a) => [a.id, (a.positionPercent / 100) * params.fullTimeWeekHours * request.period.weeks]),
  );
  return { request, params, shifts, span, sundayPeriods: sundayHolidayPeriods(span.start, span.end, zone), targets };
}
