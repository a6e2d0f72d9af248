import { DateTime } from 'luxon';
import type { ScheduleRequest } from './request.ts';

/**
 * What the vedtak allows. The weekly figure is an average over the calendar year, so hours saved
 * earlier in the year may be spent in this period and hours overspent shrink it. Without
 * `usedHoursThisYear` we cannot know either, and assume the year so far was used pro rata.
 */
export interface VedtakFrame {
  yearHours: number; // hoursPerWeek over the whole calendar year
  proRataBeforePeriod: number; // what an even use would have spent before the period starts
  usedBeforePeriod: number; // what was spent (or assumed spent) before the period
  periodCap: number; // the most the plan may use in the period
}

export function vedtakFrame(request: ScheduleRequest): VedtakFrame {
  const { hoursPerWeek, year, usedHoursThisYear } = request.ordning.vedtak;
  const yearStart = DateTime.fromObject({ year, month: 1, day: 1 });
  const daysInYear = yearStart.daysInYear;
  const periodStart = DateTime.fromISO(request.period.start);
  const daysBefore = Math.min(daysInYear, Math.max(0, Math.round(periodStart.diff(yearStart, 'days').days)));
  const yearHours = (hoursPerWeek * daysInYear) / 7;
  const proRataBeforePeriod = (hoursPerWeek * daysBefore) / 7;
  const usedBeforePeriod = usedHoursThisYear ?? proRataBeforePeriod;
  const evenShare = hoursPerWeek * request.period.weeks;
  const periodCap = Math.max(0, Math.min(yearHours - usedBeforePeriod, evenShare + proRataBeforePeriod - usedBeforePeriod));
  return { yearHours, proRataBeforePeriod, usedBeforePeriod, periodCap };
}

/** Hours a shift uses of the vedtak: passive hours count with the ordning's factor. */
export function vedtakHours(hours: number, kind: 'active' | 'passive', request: ScheduleRequest): number {
  return kind === 'passive' ? hours * request.ordning.vedtak.passiveHoursFactor : hours;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
