import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SickLeaveRequestSchema } from '../solver/request.ts';
import type { Running } from '../src/server.ts';
import { smallRequest } from './helpers/requests.ts';
import { postJson, startService, waitForSchedule } from './helpers/service.ts';

/** Input that parses as JSON and looks plausible, but means nothing: each answers 400 naming its field. */
let service: Running;
beforeAll(async () => {
  service = await startService({});
});
afterAll(async () => {
  await service?.stop();
});

const post = (body: unknown) => postJson(`${service.url}/schedules`, body);
const paths = (res: { body: any }) => (res.body.error?.details ?? []).map((d: any) => d.path);
const tueOnly = { ...smallRequest(), needs: [{ id: 'tue', days: ['tue'], start: '08:00', end: '12:00' }] } as any;

/** Samoa skipped 30 December 2011 (from UTC-10 to UTC+14). */
const apia = (over: object) => ({ ...smallRequest(), ordning: { id: 'o', timezone: 'Pacific/Apia', vedtak: { hoursPerWeek: 40, year: 2011 } }, period: { start: '2011-12-26', weeks: 1 }, ...over });

const nonsense: [string, any, string][] = [
  ['a pin on a day its need does not occur', { ...tueOnly, pinned: [{ needId: 'tue', date: '2027-01-04', assistantId: 'a1' }] }, 'pinned.0.date'],
  ['a pin outside the period', { ...tueOnly, pinned: [{ needId: 'tue', date: '2027-01-12', assistantId: 'a1' }] }, 'pinned.0.date'],
  ['more pins on a shift than its need asks for', { ...tueOnly, pinned: ['a1', 'a2'].map((a) => ({ needId: 'tue', date: '2027-01-05', assistantId: a })) }, 'pinned.1.assistantId'],
  ['time zone "system"', { ...smallRequest(), ordning: { ...smallRequest().ordning, timezone: 'system' } }, 'ordning.timezone'],
  ['time zone "local"', { ...smallRequest(), ordning: { ...smallRequest().ordning, timezone: 'local' } }, 'ordning.timezone'],
  ['time zone "UTC+1" (a luxon offset, not IANA)', { ...smallRequest(), ordning: { ...smallRequest().ordning, timezone: 'UTC+1' } }, 'ordning.timezone'],
  ['a period decades from the vedtak year', { ...smallRequest(), period: { start: '2067-01-03', weeks: 1 } }, 'period.start'],
  ['a period starting the year before the vedtak year', { ...smallRequest(), period: { start: '2026-12-28', weeks: 1 } }, 'period.start'],
  ['usedHoursThisYear 1e308', { ...smallRequest(), ordning: { id: 'o', vedtak: { hoursPerWeek: 100, year: 2027, usedHoursThisYear: 1e308 } } }, 'ordning.vedtak.usedHoursThisYear'],
  ['more hours used than the year so far held', { ...smallRequest(), ordning: { id: 'o', vedtak: { hoursPerWeek: 100, year: 2027, usedHoursThisYear: 800 } } }, 'ordning.vedtak.usedHoursThisYear'],
  ['timeLimitSeconds 1e-22', { ...smallRequest(), solver: { timeLimitSeconds: 1e-22 } }, 'solver.timeLimitSeconds'],
  ['a need with 400 dates', { ...smallRequest(), needs: [{ id: 'n', dates: Array(400).fill('2027-01-05'), start: '08:00', end: '12:00' }] }, 'needs.0.dates'],
  ['a preference with 400 dates', { ...smallRequest(), assistants: [{ id: 'a1', positionPercent: 50, preferences: [{ dates: Array(400).fill('2027-01-05'), weight: 1 }] }] }, 'assistants.0.preferences.0.dates'],
  ['a need with 8 weekdays', { ...smallRequest(), needs: [{ id: 'n', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon'], start: '08:00', end: '12:00' }] }, 'needs.0.days'],
  ['daily rest 0 h under aml', { ...smallRequest(), rules: { profile: 'aml', overrides: { minDailyRestHours: 0 } } }, 'rules.overrides.minDailyRestHours'],
  ['daily rest 8 h under aml-average', { ...smallRequest(), rules: { profile: 'aml-average', overrides: { minDailyRestHours: 8 } } }, 'rules.overrides.minDailyRestHours'],
  ['weekly rest 28 h under aml', { ...smallRequest(), rules: { profile: 'aml', overrides: { minWeeklyRestHours: 28 } } }, 'rules.overrides.minWeeklyRestHours'],
  ['daily rest 7 h under bpa-tariff', { ...smallRequest(), rules: { profile: 'bpa-tariff', overrides: { minDailyRestHours: 7 } } }, 'rules.overrides.minDailyRestHours'],
  ['weekly rest 27 h under bpa-tariff', { ...smallRequest(), rules: { profile: 'bpa-tariff', overrides: { minWeeklyRestHours: 27 } } }, 'rules.overrides.minWeeklyRestHours'],
  ['10 h a day under aml', { ...smallRequest(), rules: { profile: 'aml', overrides: { maxHoursPerDay: 10 } } }, 'rules.overrides.maxHoursPerDay'],
  ['60 h a week under bpa-tariff', { ...smallRequest(), rules: { profile: 'bpa-tariff', overrides: { maxHoursPerWeek: 60 } } }, 'rules.overrides.maxHoursPerWeek'],
  ['an unavailable spell of no length (seconds written out on one side only)', { ...smallRequest(), assistants: [{ id: 'a1', positionPercent: 50, unavailable: [{ start: '2027-01-05T00:00', end: '2027-01-05T00:00:00' }] }] }, 'assistants.0.unavailable.0.end'],
  ['an unavailable spell with a field of its own', { ...smallRequest(), assistants: [{ id: 'a1', positionPercent: 50, unavailable: [{ start: '2027-01-05T00:00', end: '2027-01-06T00:00', note: 'x' }] }] }, 'assistants.0.unavailable.0'],
  ['a wish for a need the request does not have', { ...smallRequest(), assistants: [{ id: 'a1', positionPercent: 50, preferences: [{ needId: 'nope', weight: 5 }] }] }, 'assistants.0.preferences.0.needId'],
  ['a need dated outside the period (a wrong year)', { ...smallRequest(), needs: [{ id: 'n', dates: ['2027-01-05', '2026-01-06'], start: '08:00', end: '12:00' }] }, 'needs.0.dates.1'],
  ['a need on a day its zone\'s clocks skip', apia({ needs: [{ id: 'n', dates: ['2011-12-29', '2011-12-30'], start: '08:00', end: '12:00' }] }), 'needs.0.dates.1'],
  ['a pin on a day its zone\'s clocks skip', apia({ needs: [{ id: 'n', days: ['fri'], start: '08:00', end: '12:00' }], pinned: [{ needId: 'n', date: '2011-12-30', assistantId: 'a1' }] }), 'pinned.0.date'],
  ['no average under aml-average', { ...smallRequest(), rules: { profile: 'aml-average', overrides: { averageWeeklyHours: null } } }, 'rules.overrides.averageWeeklyHours'],
];

describe('nonsense input answers 400 naming its field', () => {
  it.each(nonsense)('%s', async (_name, body, path) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(paths(res)).toContain(path);
  });
});

describe('the sensible neighbours of that nonsense are still accepted', () => {
  it('a pin on its need\'s day, an IANA zone, hours used so far, a one-second limit, the tariff\'s 8 h rest', async () => {
    const body = {
      ...tueOnly,
      ordning: { id: 'o', timezone: 'UTC', vedtak: { hoursPerWeek: 100, year: 2027, usedHoursThisYear: 30 } },
      pinned: [{ needId: 'tue', date: '2027-01-05', assistantId: 'a1' }],
      rules: { profile: 'bpa-tariff', overrides: { minDailyRestHours: 8, minWeeklyRestHours: 28, maxHoursPerDay: 10 } },
      solver: { timeLimitSeconds: 1, relativeGap: 0.01, engine: 'highs' },
    };
    const res = await post(body);
    expect(res.status).toBe(202);
    const done = await waitForSchedule(service.url, res.body.id);
    expect(done.status).toBe('completed');
    expect(done.result.shifts[0].assistantIds).toEqual(['a1']);
    expect(done.result.compliance.violations).toEqual([]);
    expect(done.result.compliance.overrides).toEqual([
      { parameter: 'maxHoursPerDay', value: 10, profileValue: 12.5 },
      { parameter: 'minDailyRestHours', value: 8, profileValue: 11 },
      { parameter: 'minWeeklyRestHours', value: 28, profileValue: 35 },
    ]);
  });

  it('a turnus over New Year: starting in the vedtak year, running into the next', async () => {
    const res = await post({ ...smallRequest(), period: { start: '2027-12-27', weeks: 2 } });
    expect(res.status).toBe(202);
    expect((await waitForSchedule(service.url, res.body.id)).status).toBe('completed');
  });
});

describe('intervals are compared as times, not as strings', () => {
  it('a sick leave from 00:00 to 00:00:00 has no length; one minute does', () => {
    const sick = (to: string) => SickLeaveRequestSchema.safeParse({ assistantId: 'a1', from: '2027-01-24T00:00', to });
    expect(sick('2027-01-24T00:00:00').error?.issues.map((i) => i.path.join('.'))).toEqual(['to']);
    expect(sick('2027-01-24T00:01:00').success).toBe(true);
  });
});
