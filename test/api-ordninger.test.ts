import { beforeAll, describe, expect, it } from 'vitest';
import { HourBankSchema, TimesheetEntrySchema } from '../src/ordning/schemas.ts';
import { getJson, postJson, waitForSchedule } from './helpers/service.ts';
import { MODES, serviceIn } from './helpers/modes.ts';


async function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : null };
}

/** Vedtak 42 h/week (6 h a day) from 2027-01-01; passive hours count half. */
const ordning = {
  timezone: 'Europe/Oslo',
  vedtak: { hoursPerWeek: 42, passiveHoursFactor: 0.5, from: '2027-01-01' },
  rules: { profile: 'aml' },
  assistants: [{ id: 'a1', positionPercent: 100, name: 'Kari Nordmann' }, { id: 'a2', positionPercent: 50 }],
};

const day = (d: number) => `2027-01-${String(d).padStart(2, '0')}`;
/** Four weeks, 2027-W01 to W04 (4 to 31 January): a1 weekdays 08-15, a2 weekends 10-16 and a passive night Wed 22 - Thu 07. */
function fourWeeks() {
  const out: { assistantId: string; start: string; end: string; kind: 'active' | 'passive' }[] = [];
  for (let w = 0; w < 4; w++) {
    const mon = 4 + 7 * w;
    for (let k = 0; k < 5; k++) out.push({ assistantId: 'a1', start: `${day(mon + k)}T08:00`, end: `${day(mon + k)}T15:00`, kind: 'active' });
    for (const k of [5, 6]) out.push({ assistantId: 'a2', start: `${day(mon + k)}T10:00`, end: `${day(mon + k)}T16:00`, kind: 'active' });
    out.push({ assistantId: 'a2', start: `${day(mon + 2)}T22:00`, end: `${day(mon + 3)}T07:00`, kind: 'passive' });
  }
  return out;
}

describe.each(MODES)('ordninger, timesheet and the hour bank ($name mode)', ({ name }) => {
  const svc = serviceIn(name);
  let base: string;
  let url: string;

  beforeAll(() => {
    base = svc.base;
    url = `${base}/ordninger/ord-bank`;
    expect(svc.service.mode).toBe(name);
  });

  it('registers four weeks, keeps corrections’ history, refuses overlaps and strangers, and the bank equals a hand computation', async () => {
    expect((await send('PUT', url, ordning)).status).toBe(201);
    expect((await send('PUT', url, ordning)).status).toBe(200);
    const ids: string[] = [];
    for (const e of fourWeeks()) {
      const res = await send('POST', `${url}/timesheet`, e);
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    expect(ids).toHaveLength(32);

    // An overlap answers 409 naming both entries; nothing is written.
    const overlap = await send('POST', `${url}/timesheet`, { assistantId: 'a1', start: '2027-01-05T14:00', end: '2027-01-05T18:00' });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.message).toContain(`entry ${ids[1]} (a1, 2027-01-05T08:00 to 2027-01-05T15:00)`);
    expect(overlap.body.error.message).toContain('the new entry (a1, 2027-01-05T14:00 to 2027-01-05T18:00)');
    // Unknown assistants and hours outside the vedtak answer 400 naming the field.
    const stranger = await send('POST', `${url}/timesheet`, { assistantId: 'zz', start: '2027-02-01T08:00', end: '2027-02-01T10:00' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].path).toBe('assistantId');
    const early = await send('POST', `${url}/timesheet`, { assistantId: 'a1', start: '2026-12-30T08:00', end: '2026-12-30T10:00' });
    expect(early.status).toBe(400);
    expect(early.body.error.details[0].path).toBe('start');

    // Two corrections: a1's Monday 4 Jan becomes 08-18 (+3 h, and past aml's 9 h a day); a2's Saturday 9 Jan 12-16 (-2 h).
    const c1 = await send('PUT', `${url}/timesheet/${ids[0]}`, { assistantId: 'a1', start: '2027-01-04T08:00', end: '2027-01-04T18:00', changedBy: 'arbeidsleder' });
    expect(c1.status).toBe(200);
    expect(c1.body.history).toEqual([expect.objectContaining({ assistantId: 'a1', start: '2027-01-04T08:00', end: '2027-01-04T15:00', replacedBy: 'arbeidsleder' })]);
    const c2 = await send('PUT', `${url}/timesheet/${ids[5]}`, { assistantId: 'a2', start: '2027-01-09T12:00', end: '2027-01-09T16:00' }, { 'x-changed-by': 'a2' });
    expect(c2.status).toBe(200);
    expect(c2.body.changedBy).toBe('a2');
    expect(c2.body.history[0]).toMatchObject({ start: '2027-01-09T10:00', end: '2027-01-09T16:00' });
    // A correction into another entry of the same assistant is an overlap too.
    expect((await send('PUT', `${url}/timesheet/${ids[0]}`, { assistantId: 'a1', start: '2027-01-05T09:00', end: '2027-01-05T10:00' })).status).toBe(409);
    expect((await send('PUT', `${url}/timesheet/nope`, { assistantId: 'a1', start: '2027-03-05T09:00', end: '2027-03-05T10:00' })).status).toBe(404);

    const bank = (await getJson(`${url}/hours?year=2027`)).body;
    expect(HourBankSchema.safeParse(bank).error).toBeUndefined();
    expect(TimesheetEntrySchema.array().safeParse((await getJson(`${url}/timesheet`)).body.entries).error).toBeUndefined();
    // By hand. Worked vedtak hours: a1 4 x 35 + 3 = 143; a2 weekends 4 x 12 - 2 = 46; nights 4 x 9 h x 0.5 = 18.
    const worked = 143 + 46 + 18;
    expect(bank.total.workedHours).toBeCloseTo(worked, 2);
    expect(bank.total.vedtakHours).toBeCloseTo((42 * 365) / 7, 2); // 2190
    // The bank runs to the last registered hour, Sunday 31 January 16:00: 30 days and 16 h of 6 h a day.
    expect(bank.asOf).toBe('2027-01-31T16:00:00+01:00');
    const ytdVedtak = 30 * 6 + (16 / 24) * 6; // 184
    expect(bank.yearToDate.vedtakHours).toBeCloseTo(ytdVedtak, 2);
    expect(bank.yearToDate.workedHours).toBeCloseTo(worked, 2);
    expect(bank.yearToDate.balanceHours).toBeCloseTo(ytdVedtak - worked, 2); // -23
    // Weeks: 1-3 January (2026-W53) 18 h granted, none worked; W01 38 + 10 + 4.5; W02-W04 35 + 12 + 4.5.
    const week = (label: string) => bank.weeks.find((w: any) => w.week === label);
    expect(week('2026-W53')).toMatchObject({ vedtakHours: 18, workedHours: 0, balanceHours: 18 });
    expect(week('2027-W01')).toMatchObject({ vedtakHours: 42, workedHours: 52.5, plannedHours: 0, balanceHours: -10.5 });
    for (const w of ['2027-W02', '2027-W03', '2027-W04']) expect(week(w)).toMatchObject({ vedtakHours: 42, workedHours: 51.5, balanceHours: -9.5 });
    expect(bank.weeks.at(-1)).toMatchObject({ week: '2027-W52', vedtakHours: 30 });
    // Forecast: worked, nothing planned, and the vedtak for the rest of the year (2190 - 184 = 2006 h).
    expect(bank.forecast.unplannedVedtakHours).toBeCloseTo(2190 - ytdVedtak, 2);
    expect(bank.forecast.balanceHours).toBeCloseTo(2190 - worked - (2190 - ytdVedtak), 2); // -23
    // Spent 23 h past the year's pace: the hours run out in the last week (2183 used before it, 2190 granted).
    expect(bank.overforbruk).toEqual({ hours: 23, runsOutWeek: '2027-W52' });
    // Per assistant: clock hours against contract hours for the 4 3/7 weeks... to asOf.
    const weeksSoFar = (30 + 16 / 24) / 7;
    const a1 = bank.assistants.find((a: any) => a.id === 'a1');
    const a2 = bank.assistants.find((a: any) => a.id === 'a2');
    expect(a1.workedHours).toBe(143);
    expect(a1.contractHours).toBeCloseTo(37.5 * weeksSoFar, 2);
    expect(a2.workedHours).toBe(46 + 36);
    expect(a2.contractHours).toBeCloseTo(0.5 * 37.5 * weeksSoFar, 2);
    // The checker that proves plans legal, fed what was worked: a1's 10 h Monday breaks aml's 9 h.
    expect(a1.violations.map((v: any) => v.rule)).toContain('max-hours-per-day');
    expect(a1.violations.find((v: any) => v.rule === 'max-hours-per-day').entryIds).toContain(ids[0]);
    // a2 worked every Sunday: aml wants the Sunday after a worked one off (10/17, 17/24, 24/31 January).
    expect(a2.violations.map((v: any) => [v.rule, v.detail])).toEqual(['10', '17', '24'].map((d) => ['sunday-rest', `worked both 2027-01-${d} and 2027-01-${Number(d) + 7}`]));
    // Names stay in the ordning, not in the bank.
    expect(JSON.stringify(bank)).not.toContain('Kari');

    // Payroll export in the documented columns.
    const csv = await fetch(`${url}/payroll?year=2027`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('assistantId,date,start,end,hours,kind');
    expect(lines).toHaveLength(33);
    expect(lines).toContain('a1,2027-01-04,08:00,18:00,10.00,active');
    expect(lines).toContain('a2,2027-01-06,22:00,07:00,9.00,passive');
  }, 60_000);

  it('a plan made after that takes the year’s used hours from the bank, and confirming it registers its shifts', async () => {
    const posted = await postJson(`${base}/schedules`, {
      ordning: { id: 'ord-bank', timezone: 'Europe/Oslo', vedtak: { hoursPerWeek: 42, year: 2027 } },
      period: { start: '2027-02-01', weeks: 1 },
      needs: [{ id: 'day', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '08:00', end: '14:00' }],
      assistants: [{ id: 'a1', positionPercent: 100 }, { id: 'a2', positionPercent: 50 }],
      solver: { timeLimitSeconds: 10, relativeGap: 0, engine: 'highs' },
    });
    expect(posted.status).toBe(202);
    const done = await waitForSchedule(base, posted.body.id);
    expect(done.status).toBe('completed');
    const budget = done.result.budget;
    // 207 h used before 1 February (none of it typed in): the frame is the 1983 h left over the 334 days left.
    expect(budget.yearForecast.usedHours - budget.plannedHours).toBeCloseTo(207, 2);
    expect(budget.vedtakHoursInPeriod).toBeCloseTo((2190 - 207) / (334 / 7), 2);
    expect(budget.plannedHours).toBe(30);

    // The bank sees the plan ahead of asOf: W05 planned instead of the vedtak's own hours.
    const bank = (await getJson(`${url}/hours?year=2027`)).body;
    expect(bank.weeks.find((w: any) => w.week === '2027-W05')).toMatchObject({ plannedHours: 30, plannedAheadHours: 30, workedHours: 0 });
    expect(bank.forecast.plannedAheadHours).toBe(30);

    // Confirm Monday and Tuesday as worked: two entries; again, nothing new.
    const confirm = { scheduleId: posted.body.id, version: 1, upTo: '2027-02-03' };
    const first = await send('POST', `${url}/timesheet/confirm`, confirm);
    expect(first.status).toBe(201);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0]).toMatchObject({ start: '2027-02-01T08:00', end: '2027-02-01T14:00', plannedShiftId: 'day@2027-02-01', scheduleId: posted.body.id });
    const again = await send('POST', `${url}/timesheet/confirm`, confirm);
    expect(again.body).toMatchObject({ entries: [], alreadyRegistered: 2 });
    const after = (await getJson(`${url}/hours?year=2027`)).body;
    expect(after.weeks.find((w: any) => w.week === '2027-W05')).toMatchObject({ plannedHours: 30, workedHours: 12, plannedAheadHours: 18 });
    expect(after.total.workedHours).toBeCloseTo(207 + 12, 2);
    // Another ordning's schedule cannot be confirmed here.
    expect((await send('POST', `${url}/timesheet/confirm`, { ...confirm, scheduleId: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
  }, 60_000);

  it('deletes the ordning with its timesheet', async () => {
    expect((await send('DELETE', url)).status).toBe(204);
    expect((await getJson(url)).status).toBe(404);
    expect((await getJson(`${url}/hours?year=2027`)).status).toBe(404);
    expect((await send('DELETE', url)).status).toBe(404);
    expect((await send('PUT', url, ordning)).status).toBe(201);
    expect((await getJson(`${url}/timesheet`)).body.entries).toEqual([]);
  });

  it('reads a vedtak that changes within the year, and lets only one of two racing overlapping entries in', async () => {
    const changing = `${base}/ordninger/ord-change`;
    expect((await send('PUT', changing, { ...ordning, vedtak: { ...ordning.vedtak, changes: [{ from: '2027-07-01', hoursPerWeek: 35 }] } })).status).toBe(201);
    // 181 days at 42 h a week, 184 at 35.
    expect((await getJson(`${changing}/hours?year=2027`)).body.total.vedtakHours).toBeCloseTo((42 * 181) / 7 + (35 * 184) / 7, 2);
    const race = await Promise.all([
      send('POST', `${changing}/timesheet`, { assistantId: 'a1', start: '2027-03-01T08:00', end: '2027-03-01T12:00' }),
      send('POST', `${changing}/timesheet`, { assistantId: 'a1', start: '2027-03-01T11:00', end: '2027-03-01T15:00' }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await getJson(`${changing}/timesheet`)).body.entries).toHaveLength(1);
  });

  it('plans a period in a later year from the ordning’s vedtak for that year; without one, 400', async () => {
    const request = (id: string) => ({
      ordning: { id, vedtak: { hoursPerWeek: 42, year: 2027 } },
      period: { start: '2028-01-03', weeks: 1 },
      needs: [{ id: 'day', days: ['mon'], start: '08:00', end: '12:00' }],
      assistants: [{ id: 'a1', positionPercent: 100 }],
      solver: { timeLimitSeconds: 5, relativeGap: 0, engine: 'highs' },
    });
    const refused = await postJson(`${base}/schedules`, request('no-such-ordning'));
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((d: any) => d.path)).toContain('period.start');
    const posted = await postJson(`${base}/schedules`, request('ord-change'));
    expect(posted.status).toBe(202);
    const done = await waitForSchedule(base, posted.body.id);
    // 2028's vedtak: 35 h a week (the change of July 2027 still holds) over 366 days.
    expect(done.result.budget.yearForecast.vedtakHours).toBeCloseTo((35 * 366) / 7, 2);
  });

  it('answers bad bodies and queries with 400 naming the field', async () => {
    const bad = await send('PUT', `${base}/ordninger/x1`, { ...ordning, vedtak: { hoursPerWeek: -1, from: '2027-13-01' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path)).toEqual(expect.arrayContaining(['vedtak.hoursPerWeek', 'vedtak.from']));
    expect((await getJson(`${url}/hours?year=2026`)).status).toBe(400);
    expect((await getJson(`${url}/hours?year=abc`)).body.error.details[0].path).toBe('year');
  });

  it('refuses a vedtak before 2000, entries of no length or at times the clocks skip, and a timesheet year that is no year', async () => {
    const field = (res: { body: any }) => res.body.error.details.map((d: any) => d.path);
    const ancient = await send('PUT', `${base}/ordninger/x0`, { ...ordning, vedtak: { hoursPerWeek: 42, from: '0000-01-01' } });
    expect(ancient.status).toBe(400);
    expect(field(ancient)).toContain('vedtak.from');
    const edge = `${base}/ordninger/ord-edge`;
    expect((await send('PUT', edge, ordning)).status).toBe(201);
    const entry = (start: string, end: string) => send('POST', `${edge}/timesheet`, { assistantId: 'a1', start, end });
    const empty = await entry('2027-01-05T00:00', '2027-01-05T00:00:00');
    expect(empty.status).toBe(400);
    expect(field(empty)).toContain('end');
    // Europe/Oslo goes from 02:00 to 03:00 on 28 March 2027: 02:30 never happens there.
    const skipped = await entry('2027-03-28T02:30', '2027-03-28T03:00');
    expect(skipped.status).toBe(400);
    expect(field(skipped)).toEqual(['start']);
    expect((await entry('2027-03-28T01:30', '2027-03-28T03:30')).status).toBe(201);
    const noYear = await getJson(`${edge}/timesheet?year=abc`);
    expect(noYear.status).toBe(400);
    expect(noYear.body.error.details[0].path).toBe('year');
    expect((await getJson(`${edge}/timesheet?year=2027`)).body.entries).toHaveLength(1);
    expect((await send('DELETE', edge)).status).toBe(204);
  });

  it('says where a vedtak of 0 h a week came from when a stored ordning gives it to a schedule', async () => {
    const paused = `${base}/ordninger/ord-paused`;
    expect((await send('PUT', paused, { ...ordning, vedtak: { hoursPerWeek: 0, from: '2027-01-01' } })).status).toBe(201);
    // The request names another year, so the stored vedtak for the period's year is the one.
    const res = await send('POST', `${base}/schedules`, { ordning: { id: 'ord-paused', vedtak: { hoursPerWeek: 42, year: 2026 } }, period: { start: '2027-01-04', weeks: 1 }, needs: [{ id: 'm', days: ['mon'], start: '08:00', end: '12:00' }], assistants: [{ id: 'a1', positionPercent: 50 }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'ordning.vedtak.hoursPerWeek', message: expect.stringContaining('stored') }]);
    expect((await send('DELETE', paused)).status).toBe(204);
  });
});
