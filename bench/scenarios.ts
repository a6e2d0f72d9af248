import { DateTime } from 'luxon';
import type { ScheduleRequestInput } from '../solver/request.ts';

/** Small seeded PRNG (mulberry32): scenarios repeat exactly from their seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

export interface ScenarioSpec {
  name: string;
  assistants: number;
  weeks: number;
  seed: number;
  /** `day-evening-night`: three shifts round the clock; `bpa`: a typical ordning with passive nights. */
  shape: 'day-evening-night' | 'bpa';
  /** Vedtak as a share of the needed hours (< 1: the cap binds). */
  vedtakShare: number;
  /** Assistants on each day and evening shift (round the clock only; nights keep one). Default 1. */
  staffing?: number;
}

const ALL = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** A realistic ordning from a spec: needs, skills, unavailability, wishes, vedtak above or below needs. */
export function generate(spec: ScenarioSpec): ScheduleRequestInput {
  const r = prng(spec.seed);
  const start = DateTime.fromISO('2027-01-04').plus({ weeks: r.int(0, 40) });
  const needs: ScheduleRequestInput['needs'] =
    spec.shape === 'day-evening-night'
      ? [
          { id: 'day', days: [...ALL], start: '07:00', end: '15:00', skills: ['lifting'], assistants: spec.staffing ?? 1 },
          { id: 'evening', days: [...ALL], start: '15:00', end: '23:00', priority: 'important', assistants: spec.staffing ?? 1 },
          { id: 'night', days: [...ALL], start: '23:00', end: '07:00', kind: 'passive', priority: 'important' },
        ]
      : [
          { id: 'morning', days: [...ALL], start: '07:30', end: '14:30', skills: ['lifting'] },
          { id: 'afternoon', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '14:30', end: '21:30', priority: 'important' },
          { id: 'weekend-evening', days: ['sat', 'sun'], start: '14:30', end: '22:30', priority: 'important' },
          { id: 'sleep', days: [...ALL], start: '22:30', end: '07:30', kind: 'passive', priority: 'important' },
          { id: 'outing', days: ['sat'], start: '11:00', end: '16:00', assistants: 1, priority: 'optional' },
        ];
  const assistants = Array.from({ length: spec.assistants }, (_, i) => {
    const away = r.next() < 0.3 ? r.int(0, spec.weeks * 7 - 3) : null;
    return {
      id: `a${i + 1}`,
      positionPercent: r.pick([100, 80, 75, 60, 50, 40, 20] as const),
      skills: r.next() < 0.7 ? ['lifting'] : [],
      unavailable: away === null ? [] : [{ start: `${start.plus({ days: away }).toISODate()}T00:00`, end: `${start.plus({ days: away + r.int(1, 3) }).toISODate()}T00:00` }],
      preferences: r.next() < 0.5 ? [{ days: [r.pick(ALL)], weight: r.pick([-3, -1, 2, 4] as const) }] : [],
    };
  });
  const perWeek = needs.reduce((t, n) => {
    const [sh, sm] = n.start.split(':').map(Number) as [number, number];
    const [eh, em] = n.end.split(':').map(Number) as [number, number];
    const hours = ((eh * 60 + em - sh * 60 - sm + 1440) % 1440) / 60;
    return t + hours * (n.days?.length ?? 0) * (n.assistants ?? 1);
  }, 0);
  return {
    ordning: { id: `ord-${spec.name}`, vedtak: { hoursPerWeek: Math.round(perWeek * spec.vedtakShare), year: start.year, passiveHoursFactor: 0.5 } },
    period: { start: start.toISODate()!, weeks: spec.weeks },
    rules: { profile: r.pick(['aml', 'bpa-tariff'] as const) },
    needs,
    assistants,
  };
}

/** The named scenarios, from 4 x 2 weeks to 15 x 8 weeks, including the two speed targets. */
export const SCENARIOS: ScenarioSpec[] = [
  { name: 'small-4x2', assistants: 4, weeks: 2, seed: 1, shape: 'bpa', vedtakShare: 1.1 },
  { name: 'target-6x4-3shifts', assistants: 6, weeks: 4, seed: 2, shape: 'day-evening-night', vedtakShare: 1.0 },
  { name: 'capped-6x4', assistants: 6, weeks: 4, seed: 3, shape: 'bpa', vedtakShare: 0.8 },
  { name: 'target-12x6', assistants: 12, weeks: 6, seed: 4, shape: 'bpa', vedtakShare: 1.05 },
  { name: 'large-15x8', assistants: 15, weeks: 8, seed: 5, shape: 'day-evening-night', vedtakShare: 1.0 },
];

/** Issue 15's scale target: a kommune-sized round-the-clock ordning, two on every day and evening shift. */
export const SCALE_SCENARIOS: ScenarioSpec[] = [
  { name: 'kommune-30x12', assistants: 30, weeks: 12, seed: 6, shape: 'day-evening-night', vedtakShare: 1.0, staffing: 2 },
];
