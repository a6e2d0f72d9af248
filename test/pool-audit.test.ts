import { describe, expect, it } from 'vitest';
import { auditPool, type StoredPlan } from '../bench/pool-audit.ts';
import { ruleParameters } from '../solver/index.ts';
import type { ScheduleResult } from '../solver/result.ts';

/** The bench's own audit of a shared pool (bench/pool-audit.ts), at both edges of each rule it reads. */
const params = ruleParameters('aml', {});
const plan = (ordning: string, shifts: [string, string, string][]): StoredPlan => ({
  scheduleId: `s-${ordning}`,
  request: { ordning: { id: ordning } } as StoredPlan['request'],
  result: {
    compliance: { parameters: params },
    shifts: shifts.map(([date, from, to]) => ({ id: `day@${date}`, needId: 'day', start: `${date}T${from}:00+01:00`, end: `${date}T${to}:00+01:00`, hours: 8, kind: 'active', assistantIds: ['p1'], sources: ['pool'] })),
  } as unknown as ScheduleResult,
});
const MONDAYS = [0, 1, 2, 3].map((w) => Date.parse('2027-01-04T00:00:00+01:00') + w * 7 * 86_400_000);
const week4: [string, string, string][] = ['25', '26', '27', '28', '29'].map((d) => [`2027-01-${d}`, '08:00', '16:00']);

describe('the pool audit', () => {
  it('passes 40 h a week across two ordninger, and flags a double booking and a short rest', () => {
    expect(auditPool([plan('a', week4.slice(0, 3)), plan('b', week4.slice(3))], MONDAYS)).toEqual([]);
    const four = week4.slice(0, 4);
    expect(auditPool([plan('a', four), plan('b', [['2027-01-28', '15:59', '18:00']])], MONDAYS)).toEqual([expect.stringMatching(/^p1 double-booked/)]);
    expect(auditPool([plan('a', four), plan('b', [['2027-01-29', '03:00', '05:00']])], MONDAYS)).toEqual([]);
    expect(auditPool([plan('a', four), plan('b', [['2027-01-29', '02:59', '05:00']])], MONDAYS)).toEqual([expect.stringMatching(/^p1 rests 10\.98/)]);
  });

  it('holds a member with Saturday evenings on a third of the Sundays to the 38 h week, across ordninger', () => {
    expect(auditPool([plan('a', week4), plan('b', [['2027-01-09', '14:00', '22:00']])], MONDAYS)).toEqual([]);
    const two = auditPool([plan('a', week4), plan('b', [['2027-01-09', '14:00', '22:00'], ['2027-01-16', '14:00', '22:00']])], MONDAYS);
    expect(two).toEqual([expect.stringMatching(/^p1 works 40 h .* limit 38 h/)]);
  });
});
