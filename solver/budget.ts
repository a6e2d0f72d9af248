import { DateTime } from 'luxon';
import { normalise } from './normalise.ts';
import type { ScheduleRequest } from './request.ts';

/**
 * What the vedtak allows. The weekly figure is an average over the calendar year, so hours saved
 * earlier in the year may be spent later and hours overspent shrink what is left. The frame of a
 * period is the year's remaining hours (the year's vedtak minus what was used before the period)
 * spread evenly over the weeks left in the year, unless the request names the period's hours
 * (`vedtak.periodHours`, to save or to spend saved hours). A period over New Year takes its days in
 * the next year from that year's vedtak, of which nothing is used yet. Without `usedHoursThisYear`
 * the year so far is taken as used pro rata.
 */
export interface VedtakFrame {
  yearHours: number; // the vedtak year's hours (hoursPerWeek over the year, or `yearHours`)
  proRataBeforePeriod: number; // what an even use would have spent before the period starts
  usedBeforePeriod: number; // what was spent (or assumed spent) before the period
  remainingHours: number; // what the vedtak year has left when the period starts
  weeksLeftInYear: number; // from the period's start to the end of the vedtak year
  periodCap: number; // the frame for the whole period
  /** The frame of each week of the period, in order (calendar weeks from the period's Monday). */
  weekly: number[];
  /** Of `periodCap`, the part that falls in the vedtak year (the rest is next year's). */
  capInYear: number;
  /** Days of the period inside the vedtak year. */
  daysInYear: number;
  capMode: 'soft' | 'strict';
}

const DAY_MS = 86_400_000;
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

const frames = new WeakMap<ScheduleRequest['ordning']['vedtak'], Map<string, VedtakFrame>>();

/** The vedtak's frame for the period; requests derived from one (a pool's members added) share their vedtak, and its frame. */
export function vedtakFrame(request: ScheduleRequest): VedtakFrame {
  const v = request.ordning.vedtak;
  let byPeriod = frames.get(v);
  if (!byPeriod) frames.set(v, (byPeriod = new Map()));
  const key = `${request.period.start}|${request.period.weeks}`;
  let frame = byPeriod.get(key);
  if (!frame) byPeriod.set(key, (frame = computeFrame(request)));
  return frame;
}

function computeFrame(request: ScheduleRequest): VedtakFrame {
  const v = request.ordning.vedtak;
  const yearStart = DateTime.fromObject({ year: v.year, month: 1, day: 1 }, { zone: 'utc' });
  const nextYearStart = yearStart.plus({ years: 1 });
  const daysInYearTotal = yearStart.daysInYear;
  const periodStart = utc(request.period.start);
  const daysBefore = Math.min(daysInYearTotal, Math.max(0, Math.round(periodStart.diff(yearStart, 'days').days)));
  const yearHours = v.yearHours ?? (v.hoursPerWeek * daysInYearTotal) / 7;
  const proRataBeforePeriod = (yearHours * daysBefore) / daysInYearTotal;
  const usedBeforePeriod = v.usedHoursThisYear ?? proRataBeforePeriod;
  const remainingHours = Math.max(0, yearHours - usedBeforePeriod);
  const daysLeft = daysInYearTotal - daysBefore;
  const weeksLeftInYear = daysLeft / 7;
  const thisRate = daysLeft > 0 ? remainingHours / weeksLeftInYear : 0; // hours per week for the rest of the year
  const nextRate = v.nextYearHoursPerWeek ?? v.hoursPerWeek;
  const cut = nextYearStart.toMillis();
  const weeks = request.period.weeks;
  const inYearDays = Array.from({ length: weeks }, (_, k) => {
    const from = periodStart.toMillis() + k * 7 * DAY_MS;
    return Math.max(0, Math.min(7, Math.round((cut - from) / DAY_MS)));
  });
  const daysInYear = inYearDays.reduce((t, d) => t + d, 0);
  let weekly = inYearDays.map((d) => (thisRate * d) / 7 + (nextRate * (7 - d)) / 7);
  let capInYear = (thisRate * daysInYear) / 7;
  if (v.periodHours !== undefined) {
    // An explicit frame for the period, spread evenly over its days; the in-year part pro rata.
    weekly = inYearDays.map(() => v.periodHours! / weeks);
    capInYear = (v.periodHours * daysInYear) / (7 * weeks);
  }
  const periodCap = weekly.reduce((t, h) => t + h, 0);
  return { yearHours, proRataBeforePeriod, usedBeforePeriod, remainingHours, weeksLeftInYear, periodCap, weekly, capInYear, daysInYear, capMode: v.capMode };
}

/** Hours a shift uses of the vedtak: passive hours count with the ordning's factor. */
export function vedtakHours(hours: number, kind: 'active' | 'passive', request: ScheduleRequest): number {
  return kind === 'passive' ? hours * request.ordning.vedtak.passiveHoursFactor : hours;
}

/**
 * How the frame binds a plan. `strict`: every hour within the frame. `soft` (the default): essential
 * care is never dropped to meet the frame; when the frame cannot hold every essential hour the
 * period asks for, essential needs go uncapped (the overforbruk is reported) and no lower-priority
 * hour is planned; otherwise the frame binds all hours, as strict.
 */
export type CapRule = { kind: 'total'; cap: number } | { kind: 'essential-only' };

export function capRule(request: ScheduleRequest): CapRule {
  const frame = vedtakFrame(request);
  if (frame.capMode === 'soft' && essentialNeeded(request) > frame.periodCap + 1e-6) return { kind: 'essential-only' };
  return { kind: 'total', cap: frame.periodCap };
}

const essentialCache = new WeakMap<ScheduleRequest, number>();
/** Vedtak hours of every essential place the period asks for, fully staffed (from the request alone). */
export function essentialNeeded(request: ScheduleRequest): number {
  let h = essentialCache.get(request);
  if (h === undefined) {
    h = normalise(request).reduce((t, s) => (s.priority === 'essential' ? t + vedtakHours(s.hours, s.kind, request) * s.headcount : t), 0);
    essentialCache.set(request, h);
  }
  return h;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
