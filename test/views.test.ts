import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScheduleRequestInput } from '../solver/request.ts';
import type { ScheduleResult } from '../solver/result.ts';
import type { Running } from '../src/server.ts';
import { signLink } from '../src/views/links.ts';
import { unfilledReason } from '../src/i18n/texts.ts';
import { holidayName } from '../solver/calendar.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';

/**
 * The arbeidsleder's views of one real plan: four weeks over the last Sunday of March 2027 (the
 * clocks go forward, and it is 1st påskedag), posted over HTTP and solved by HiGHS.
 */

const ALL = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const ZONE = 'Europe/Oslo';
const SECRET = 'test-secret-of-at-least-thirty-two-characters';
const ARTIFACTS = join(import.meta.dirname, 'artifacts');

const NAMES: Record<string, string> = {
  a1: 'Kari Nordmann',
  a2: 'Ola <b>Dunk</b> & Co',
  a3: '=HYPERLINK("http://x","y")',
  a4: 'Åse Ødegård',
  a5: 'Per, "Pelle" Hansen',
  a6: 'Siri Lie',
};

const request: ScheduleRequestInput = {
  ordning: { id: 'ord-views', timezone: ZONE, vedtak: { hoursPerWeek: 180, year: 2027 } },
  period: { start: '2027-03-22', weeks: 4 },
  // Easter 2027 falls on the DST Sunday: averaged Sunday rest lets a team of six cover it all.
  rules: { profile: 'aml-average' },
  needs: [
    { id: 'day', label: 'Dagvakt', days: [...ALL], start: '07:00', end: '15:00' },
    { id: 'eve', label: 'Kveldsvakt', days: [...ALL], start: '15:00', end: '23:00' },
    { id: 'night', label: 'Nattevakt', days: [...ALL], start: '23:00', end: '07:00', kind: 'passive' },
    // Nobody has this skill: an open shift with a reason, every Wednesday.
    { id: 'nurse', label: 'Sårstell', days: ['wed'], start: '10:00', end: '11:00', skills: ['nurse'], priority: 'optional' },
  ],
  assistants: Object.entries(NAMES).map(([id, name], i) => ({ id, name, positionPercent: [100, 80, 60, 50, 100, 80][i]! })),
  // The night the clocks go forward is worked whatever the time limit leaves open: the feed and the CSV are checked on it.
  pinned: [{ needId: 'night', date: '2027-03-27', assistantId: 'a4' }],
  solver: { timeLimitSeconds: 10, relativeGap: 0.01, engine: 'highs' },
};

let service: Running;
let base: string;
let id: string;
let plan: ScheduleResult;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  service = await startService({ LINK_SECRET: SECRET });
  base = service.url;
  const posted = await postJson(`${base}/schedules`, request);
  expect(posted.status).toBe(202);
  id = posted.body.id;
  const done = await waitForSchedule(base, id, 120_000);
  expect(done.status).toBe('completed');
  plan = done.result;
}, 150_000);
afterAll(async () => {
  await service?.stop();
});

const localDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toISODate()!;
const assignments = (r: ScheduleResult) => r.shifts.flatMap((s) => s.assistantIds.map((a) => ({ s, a })));

describe('turnus page', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    { width: 390, height: 844, name: 'phone' },
    { width: 1400, height: 900, name: 'desktop' },
  ])('shows every shift with its assistants in its day cell at $name width ($width px)', async ({ width, height, name }) => {
    expect(plan.unfilled.map((u) => u.code)).toContain('nobody-available');
    const page = await browser.newPage({ viewport: { width, height }, locale: 'nb-NO' });
    const res = await page.goto(`${base}/schedules/${id}/turnus`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-type']).toContain('text/html');
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
    expect(res?.headers()['referrer-policy']).toBe('no-referrer');
    expect(await page.getAttribute('html', 'lang')).toBe('nb');

    // The grid's content against the plan: each shift in the cell of its local start date, in the
    // column of its weekday and the row of its week, naming everyone on it.
    const cells = await page.$$eval('table.grid td[data-date]', (tds) =>
      tds.map((td) => ({
        date: td.getAttribute('data-date')!,
        column: (td as unknown as { cellIndex: number }).cellIndex,
        row: (td.parentElement as unknown as { sectionRowIndex: number }).sectionRowIndex,
        classes: td.className,
        shifts: [...td.querySelectorAll('li[data-shift-id]')].map((li) => ({ id: li.getAttribute('data-shift-id')!, text: li.textContent ?? '', who: li.querySelector('.who')?.textContent ?? '', classes: li.className })),
      })),
    );
    expect(cells).toHaveLength(28);
    const byDate = new Map(cells.map((c) => [c.date, c]));
    for (const s of plan.shifts) {
      const cell = byDate.get(localDate(s.start))!;
      const start = DateTime.fromISO(s.start, { zone: ZONE });
      expect(cell.column).toBe(start.weekday); // column 0 is the week's row header
      expect(cell.row).toBe(Math.floor(start.diff(DateTime.fromISO('2027-03-22', { zone: ZONE }), 'days').days / 7));
      const item = cell.shifts.find((x) => x.id === s.id);
      expect(item, s.id).toBeDefined();
      expect(item!.who).toBe(s.assistantIds.map((a) => NAMES[a]).join(', '));
      expect(item!.classes.includes('passive')).toBe(s.kind === 'passive');
      if (s.kind === 'passive') expect(item!.text).toContain('passiv');
    }
    expect(cells.reduce((t, c) => t + c.shifts.length, 0)).toBe(plan.shifts.length);

    // Open shifts: highlighted, with their reason in bokmål.
    for (const u of plan.unfilled) {
      const item = byDate.get(localDate(plan.shifts.find((s) => s.id === u.shiftId)!.start))!.shifts.find((x) => x.id === u.shiftId)!;
      expect(item.classes).toContain('open');
      expect(item.text).toContain('Åpen');
      expect(item.text).toContain(unfilledReason(u, 'nb', (a) => NAMES[a] ?? a));
      if (u.shiftId.startsWith('nurse@')) expect(item.text).toContain('ingen assistent med ferdighetene som trengs er ledig da');
    }

    // Sundays and helligdager: 28 March 2027 is both, 26 March (langfredag) a helligdag only.
    expect(byDate.get('2027-03-28')!.classes).toContain('sunday');
    expect(byDate.get('2027-03-28')!.classes).toContain('holiday');
    expect(byDate.get('2027-03-26')!.classes).toBe('holiday');
    expect(byDate.get('2027-03-24')!.classes).toBe('');
    expect(await page.textContent('td[data-date="2027-03-26"]')).toContain(holidayName('2027-03-26')!);

    // User text is shown as text, never run as markup.
    expect(await page.locator('b').count()).toBe(0);
    expect(await page.textContent('body')).toContain('Ola <b>Dunk</b> & Co');

    // The timekonto and its plain words, and one row per assistant.
    const sentence = await page.textContent('[data-figure="period"]');
    expect(sentence).toMatch(/^Med denne turnusen bruker dere (akkurat|[\d ,]+ timer (mer|mindre))/);
    const weekRows = await page.$$eval('table.budget tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number((td.textContent ?? '').replace(/\s/g, '').replace(',', '.').replace('−', '-')))));
    expect(weekRows).toHaveLength(4);
    expect(weekRows.map((r) => [r[0], r[1], r[3]])).toEqual(plan.budget.weeks.map((wk) => [wk.vedtakHours, wk.plannedHours, wk.balanceHours]));
    expect(weekRows.reduce((t, r) => t + r[2]!, 0)).toBeCloseTo(plan.budget.unfilledHours, 6);
    expect(await page.locator('table.assistants tbody tr').count()).toBe(plan.assistants.length);
    for (const a of plan.assistants) {
      const row = await page.textContent(`table.assistants tr[data-assistant-id="${a.id}"]`);
      expect(row).toContain(NAMES[a.id]);
      expect(row).toContain(String(a.nights));
    }

    // Accessible structure: a caption, column headers for the days, a row header per week.
    expect(await page.locator('table.grid caption').count()).toBe(1);
    expect(await page.locator('table.grid th[scope="col"]').count()).toBe(8);
    expect(await page.locator('table.grid th[scope="row"]').count()).toBe(4);

    // Nothing wider than the screen: on a phone the grid stacks day by day.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    await page.screenshot({ path: join(ARTIFACTS, `turnus-${name}.png`), fullPage: true });
    await page.screenshot({ path: join(ARTIFACTS, `turnus-${name}-first-screen.png`) });
    await page.locator('.side').screenshot({ path: join(ARTIFACTS, `turnus-${name}-budget.png`) });
    if (name === 'desktop') {
      const pdf = await page.pdf({ path: join(ARTIFACTS, 'turnus-a4.pdf'), preferCSSPageSize: true });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      // A4 landscape at 96 dpi less the page margins: the printed grid fits the paper's width.
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 1062, height: 733 });
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1062);
      await page.screenshot({ path: join(ARTIFACTS, 'turnus-print.png') });
    }
    await page.close();
  });

  it('speaks English when asked, and refuses a language it does not speak', async () => {
    const en = await fetch(`${base}/schedules/${id}/turnus`, { headers: { 'accept-language': 'en-GB,en;q=0.9,nb;q=0.5' } });
    const text = await en.text();
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('With this turnus you use');
    expect(text).toContain('no assistant with the skills it needs is available then');
    const bad = await getJson(`${base}/schedules/${id}/turnus?lang=fr`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('lang');
  });

  it('serves the page of a given version, and 404 for one that does not exist', async () => {
    const res = await fetch(`${base}/schedules/${id}/versions/1/turnus`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('versjon 1');
    expect((await fetch(`${base}/schedules/${id}/versions/9/turnus`)).status).toBe(404);
    expect((await fetch(`${base}/schedules/${id}/versions/x/turnus`)).status).toBe(400);
  });
});

/** Minimal RFC 4180 reader: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field), rows.push(row), (row = []), (field = ''), i++;
    } else field += ch;
  }
  return rows;
}

/** The categories counted a second way: quarter hour by quarter hour, in local time. */
function quarterHours(start: string, end: string) {
  const out = { day: 0, evening: 0, night: 0, weekend: 0, holiday: 0 };
  for (let t = Date.parse(start); t < Date.parse(end); t += 900_000) {
    const local = DateTime.fromMillis(t, { zone: ZONE });
    const h = local.hour;
    if (h >= 21 || h < 6) out.night += 0.25;
    else if (h >= 17) out.evening += 0.25;
    else out.day += 0.25;
    if (local.weekday >= 6) out.weekend += 0.25;
    if (holidayName(local.toISODate()!)) out.holiday += 0.25;
  }
  return out;
}

describe('timeliste', () => {
  it('has one row per assistant and shift, with supplement hours that add up to the plan', async () => {
    const res = await fetch(`${base}/schedules/${id}/timeliste.csv?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['date', 'assistant_id', 'name', 'shift_id', 'need', 'start', 'end', 'hours', 'kind', 'day_hours', 'evening_hours', 'night_hours', 'weekend_hours', 'holiday_hours']);
    const expected = assignments(plan);
    expect(rows).toHaveLength(expected.length);
    const col = (name: string) => header!.indexOf(name);
    const sum = (name: string) => rows.reduce((t, r) => t + Number(r[col(name)]), 0);
    const planned = expected.reduce((t, { s }) => t + s.hours, 0);
    expect(sum('hours')).toBeCloseTo(planned, 6);
    expect(sum('day_hours') + sum('evening_hours') + sum('night_hours')).toBeCloseTo(planned, 6);
    const second = expected.map(({ s }) => quarterHours(s.start, s.end));
    for (const k of ['day', 'evening', 'night', 'weekend', 'holiday'] as const) expect(sum(`${k}_hours`), k).toBeCloseTo(second.reduce((t, q) => t + q[k], 0), 6);
    // The night into 28 March lasts 7 hours: the clocks went forward.
    const dstNight = rows.filter((r) => r[col('shift_id')] === 'night@2027-03-27');
    expect(dstNight.length).toBeGreaterThan(0);
    for (const r of dstNight) expect(Number(r[col('hours')])).toBe(7);
    // Each row as the plan has it; names safe from formulas.
    for (const r of rows) {
      const match = expected.find(({ s, a }) => s.id === r[col('shift_id')] && a === r[col('assistant_id')]);
      expect(match).toBeDefined();
      expect(r[col('start')]).toBe(match!.s.start);
      expect(r[col('kind')]).toBe(match!.s.kind);
      expect(r[col('name')]).toBe(match!.a === 'a3' ? `'${NAMES.a3}` : NAMES[match!.a]);
    }
  });

  it('has Norwegian headers by default', async () => {
    const text = await (await fetch(`${base}/schedules/${id}/timeliste.csv`)).text();
    expect(text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('dato,assistent_id,navn,vakt_id,behov,start,slutt,timer,type,dagtimer,kveldstimer,natttimer,helgetimer,helligdagstimer');
  });
});

/** The feed's events as ical.js reads them, each with its exact UTC instants. */
function readFeed(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, sequence: e.sequence, status: String(v.getFirstPropertyValue('status')), start: e.startDate.toJSDate().getTime(), end: e.endDate.toJSDate().getTime(), summary: e.summary, tzid: e.startDate.zone?.tzid };
  });
}

describe('calendar feed', () => {
  it("has every shift of the assistant at its exact instants across the DST change, and follows a re-plan", async () => {
    // Whoever works the night the clocks go forward.
    const dst = plan.shifts.find((s) => s.id === 'night@2027-03-27')!;
    const who = dst.assistantIds[0]!;
    expect(who).toBeDefined();
    const res = await fetch(`${base}/schedules/${id}/assistants/${who}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/calendar');
    const text = await res.text();
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Oslo');
    const events = readFeed(text);
    const mine = plan.shifts.filter((s) => s.assistantIds.includes(who));
    expect(events.map((e) => [e.start, e.end]).sort()).toEqual(mine.map((s) => [Date.parse(s.start), Date.parse(s.end)]).sort());
    for (const e of events) expect(e.tzid).toBe(ZONE);
    const night = events.find((e) => e.uid.startsWith('night@2027-03-27.'))!;
    expect(new Date(night.start).toISOString()).toBe('2027-03-27T22:00:00.000Z');
    expect(new Date(night.end).toISOString()).toBe('2027-03-28T05:00:00.000Z');
    expect(night.summary).toBe('Nattevakt (passiv natt)');
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(events.every((e) => e.sequence === 1 && e.status === 'CONFIRMED')).toBe(true);

    // They call in sick for that night: the re-plan moves it, and the feed says so under the same UID.
    const sick = await postJson(`${base}/schedules/${id}/sick-leave`, { assistantId: who, from: '2027-03-27T20:00', to: '2027-03-28T12:00' });
    expect(sick.status).toBe(202);
    const until = Date.now() + 60_000;
    let latest: any;
    do {
      await new Promise((r) => setTimeout(r, 200));
      latest = (await getJson(`${base}/schedules/${id}`)).body;
    } while ((latest.status !== 'completed' || latest.result.version !== 2) && Date.now() < until);
    expect(latest.result.version).toBe(2);
    const after = readFeed(await (await fetch(`${base}/schedules/${id}/assistants/${who}/calendar.ics`)).text());
    const moved = after.find((e) => e.uid === night.uid)!;
    expect(moved.status).toBe('CANCELLED');
    expect(moved.sequence).toBe(2);
    const kept = after.filter((e) => e.status === 'CONFIRMED');
    const stillMine = (latest.result as ScheduleResult).shifts.filter((s) => s.assistantIds.includes(who));
    expect(kept.map((e) => e.start).sort()).toEqual(stillMine.map((s) => Date.parse(s.start)).sort());
    for (const e of kept) if (events.some((b) => b.uid === e.uid)) expect(e.sequence).toBe(1);
  });

  it('answers 404 for an assistant the schedule does not have', async () => {
    expect((await fetch(`${base}/schedules/${id}/assistants/nobody/calendar.ics`)).status).toBe(404);
  });
});

describe('signed reading links', () => {
  const issue = async (body: unknown) => postJson(`${base}/schedules/${id}/links`, body);

  it('opens each view with its own link, and refuses a tampered, misused or expired one with 403', async () => {
    const turnus = await issue({ scope: 'turnus', expiresInDays: 7 });
    expect(turnus.status).toBe(201);
    expect(Date.parse(turnus.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect((await fetch(turnus.body.url)).status).toBe(200);
    const calendar = await issue({ scope: 'calendar', assistantId: 'a1' });
    expect(calendar.body.url).toContain('/assistants/a1/calendar.ics?token=');
    expect((await fetch(calendar.body.url)).status).toBe(200);
    const csv = await issue({ scope: 'timeliste' });
    expect((await fetch(csv.body.url)).status).toBe(200);

    const token = new URL(turnus.body.url).searchParams.get('token')!;
    const [expires, sig] = token.split('.');
    const flipped = `${expires}.${sig![0] === 'A' ? 'B' : 'A'}${sig!.slice(1)}`;
    expect((await fetch(`${base}/schedules/${id}/turnus?token=${flipped}`)).status).toBe(403);
    // A later expiry with the old signature: tampered.
    expect((await fetch(`${base}/schedules/${id}/turnus?token=${Number(expires) + 86_400}.${sig}`)).status).toBe(403);
    // Right signature, wrong view or wrong assistant.
    expect((await fetch(`${base}/schedules/${id}/timeliste.csv?token=${token}`)).status).toBe(403);
    const calToken = new URL(calendar.body.url).searchParams.get('token')!;
    expect((await fetch(`${base}/schedules/${id}/assistants/a2/calendar.ics?token=${calToken}`)).status).toBe(403);
    expect((await fetch(`${base}/schedules/${id}/turnus?token=garbage`)).status).toBe(403);
    // Signed with the service's secret, but past its expiry.
    const expired = signLink(SECRET, { scheduleId: id, scope: 'turnus' }, Math.floor(Date.now() / 1000) - 1, 0);
    const refused = await getJson(`${base}/schedules/${id}/turnus?token=${expired}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('expired');
    // The same, a minute from now: valid, so the 403 above is the expiry's.
    const fresh = signLink(SECRET, { scheduleId: id, scope: 'turnus' }, Math.floor(Date.now() / 1000) + 60, 0);
    expect((await fetch(`${base}/schedules/${id}/turnus?token=${fresh}`)).status).toBe(200);
  });

  it('revokes every earlier link when re-issued with revokeEarlier', async () => {
    const before = await issue({ scope: 'turnus' });
    const otherScope = await issue({ scope: 'timeliste' });
    expect((await fetch(before.body.url)).status).toBe(200);
    const after = await issue({ scope: 'turnus', revokeEarlier: true });
    expect((await fetch(before.body.url)).status).toBe(403);
    expect((await fetch(otherScope.body.url)).status).toBe(403);
    expect((await fetch(after.body.url)).status).toBe(200);
  });

  it('answers 400 naming the field for a bad link request, 404 for an unknown schedule', async () => {
    const noAssistant = await issue({ scope: 'calendar' });
    expect(noAssistant.status).toBe(400);
    expect(noAssistant.body.error.details[0].path).toBe('assistantId');
    const stranger = await issue({ scope: 'calendar', assistantId: 'zz' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.details[0].path).toBe('assistantId');
    const days = await issue({ scope: 'turnus', expiresInDays: 0 });
    expect(days.status).toBe(400);
    expect(days.body.error.details[0].path).toBe('expiresInDays');
    expect((await postJson(`${base}/schedules/00000000-0000-4000-8000-000000000000/links`, { scope: 'turnus' })).status).toBe(404);
  });
});
