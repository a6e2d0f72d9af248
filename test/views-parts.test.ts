import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { ScheduleRequestSchema } from '../solver/request.ts';
import type { PlannedShift, ScheduleResult } from '../solver/result.ts';
import { budgetSentences, chooseLang } from '../src/i18n/texts.ts';
import { assistantEvents, calendarFeed } from '../src/views/calendar-feed.ts';
import { html } from '../src/views/html.ts';
import { checkLink, signLink } from '../src/views/links.ts';
import { supplementHours } from '../src/views/supplements.ts';
import { csvField, safeText, timelisteCsv } from '../src/views/timeliste.ts';

/** The views' parts on their own: the cases a single real plan does not reach. */

const ZONE = 'Europe/Oslo';

describe('supplement hours', () => {
  it('counts the night the clocks go back as the 9 hours worked', () => {
    const h = supplementHours('2027-10-30T23:00:00+02:00', '2027-10-31T07:00:00+01:00', ZONE);
    expect(h).toEqual({ day: 1, evening: 0, night: 8, weekend: 9, holiday: 0 });
  });

  it('counts the night the clocks go forward (Easter Sunday 2027) as 7 hours, 6 of them on the helligdag', () => {
    const h = supplementHours('2027-03-27T23:00:00+01:00', '2027-03-28T07:00:00+02:00', ZONE);
    expect(h).toEqual({ day: 1, evening: 0, night: 6, weekend: 7, holiday: 6 });
  });

  it('splits a weekday shift at 17:00 and 21:00', () => {
    expect(supplementHours('2027-01-04T16:00:00+01:00', '2027-01-04T22:30:00+01:00', ZONE)).toEqual({ day: 1, evening: 4, night: 1.5, weekend: 0, holiday: 0 });
  });

  it('counts 17 May as a helligdag', () => {
    expect(supplementHours('2027-05-17T08:00:00+02:00', '2027-05-17T12:00:00+02:00', ZONE).holiday).toBe(4);
  });
});

describe('timeliste CSV', () => {
  it('keeps spreadsheet formulas out of text fields and quotes per RFC 4180', () => {
    for (const bad of ['=1+2', '+1', '-1', '@SUM(A1)', '\t=x', '\r=x']) expect(safeText(bad)).toBe(`'${bad}`);
    expect(safeText('Kari')).toBe('Kari');
    expect(csvField('Per, "Pelle"')).toBe('"Per, ""Pelle"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
  });

  it('writes a row per assistant and shift in the documented order', () => {
    const input = ScheduleRequestSchema.parse({
      ordning: { id: 'o', vedtak: { hoursPerWeek: 40, year: 2027 } },
      period: { start: '2027-01-04', weeks: 1 },
      needs: [{ id: 'n', label: '@kveld, sent', days: ['mon'], start: '17:00', end: '23:00' }],
      assistants: [{ id: 'a1', name: '=cmd|x', positionPercent: 50 }, { id: 'a2', positionPercent: 50 }],
    });
    const shift: PlannedShift = { id: 'n@2027-01-04', needId: 'n', start: '2027-01-04T17:00:00+01:00', end: '2027-01-04T23:00:00+01:00', hours: 6, kind: 'active', assistantIds: ['a2', 'a1'], sources: ['team', 'team'] };
    const csv = timelisteCsv(input, { shifts: [shift] } as ScheduleResult, 'nb', (a) => input.assistants.find((x) => x.id === a)?.name);
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFdato,assistent_id,navn,vakt_id,behov,start,slutt,timer,type,dagtimer,kveldstimer,natttimer,helgetimer,helligdagstimer',
      `2027-01-04,a1,'=cmd|x,n@2027-01-04,"'@kveld, sent",2027-01-04T17:00:00+01:00,2027-01-04T23:00:00+01:00,6,aktiv,0,4,2,0,0`,
      `2027-01-04,a2,,n@2027-01-04,"'@kveld, sent",2027-01-04T17:00:00+01:00,2027-01-04T23:00:00+01:00,6,aktiv,0,4,2,0,0`,
      '',
    ]);
  });
});

const shift = (id: string, start: string, end: string, assistantIds: string[], kind: 'active' | 'passive' = 'active'): PlannedShift => ({ id, needId: id.split('@')[0]!, start, end, hours: (Date.parse(end) - Date.parse(start)) / 3_600_000, kind, assistantIds, sources: assistantIds.map(() => 'team' as const) });
const version = (n: number, shifts: PlannedShift[]) => ({ version: n, shifts }) as ScheduleResult;

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return calendar.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, sequence: e.sequence, status: String(v.getFirstPropertyValue('status')), summary: e.summary, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString() };
  });
}

describe('calendar feed', () => {
  const feed = (versions: ScheduleResult[], label = 'Vakt', zone = ZONE) =>
    calendarFeed({ scheduleId: 's1', assistantId: 'a1', assistantName: 'Kari', zone, events: assistantEvents(versions, 'a1'), labelOf: () => label, stamp: '2027-10-01T10:00:00.000Z', lang: 'nb' });

  it('gives exact instants around the night the clocks go back, the repeated hour included', () => {
    const shifts = [
      shift('night@2027-10-30', '2027-10-30T23:00:00+02:00', '2027-10-31T07:00:00+01:00', ['a1'], 'passive'),
      // Starts in the second 02:30 of the night: its wall time alone would name the first.
      shift('late@2027-10-31', '2027-10-31T02:30:00+01:00', '2027-10-31T05:00:00+01:00', ['a1']),
      shift('early@2027-10-31', '2027-10-31T02:30:00+02:00', '2027-10-31T02:45:00+02:00', ['a1']),
      shift('other@2027-10-31', '2027-10-31T10:00:00+01:00', '2027-10-31T12:00:00+01:00', ['a2']),
    ];
    const events = parse(feed([version(1, shifts)]));
    expect(events.map((e) => [e.uid.split('.')[0], e.start, e.end])).toEqual([
      ['night@2027-10-30', '2027-10-30T21:00:00.000Z', '2027-10-31T06:00:00.000Z'],
      ['early@2027-10-31', '2027-10-31T00:30:00.000Z', '2027-10-31T00:45:00.000Z'],
      ['late@2027-10-31', '2027-10-31T01:30:00.000Z', '2027-10-31T04:00:00.000Z'],
    ]);
  });

  it('describes a zone with another rule (America/New_York) as exactly', () => {
    const shifts = [shift('d@2027-03-14', '2027-03-14T01:00:00-05:00', '2027-03-14T09:00:00-04:00', ['a1']), shift('d@2027-11-07', '2027-11-07T00:00:00-04:00', '2027-11-07T08:00:00-05:00', ['a1'])];
    const events = parse(feed([version(1, shifts)], 'Vakt', 'America/New_York'));
    expect(events.map((e) => [e.start, e.end])).toEqual([
      ['2027-03-14T06:00:00.000Z', '2027-03-14T13:00:00.000Z'],
      ['2027-11-07T04:00:00.000Z', '2027-11-07T13:00:00.000Z'],
    ]);
  });

  it('keeps UIDs across versions, raises SEQUENCE where a version changed the event, and cancels a lost shift', () => {
    const a = shift('day@2027-01-04', '2027-01-04T08:00:00+01:00', '2027-01-04T16:00:00+01:00', ['a1']);
    const b = shift('day@2027-01-05', '2027-01-05T08:00:00+01:00', '2027-01-05T16:00:00+01:00', ['a1']);
    const c = shift('day@2027-01-06', '2027-01-06T08:00:00+01:00', '2027-01-06T16:00:00+01:00', ['a1']);
    const v2 = [a, { ...b, assistantIds: ['a2'] }, c];
    const v3 = [a, { ...b, assistantIds: ['a2'] }, { ...c, end: '2027-01-06T15:00:00+01:00' }];
    const events = parse(feed([version(1, [a, b, c]), version(2, v2), version(3, v3)]));
    expect(events.map((e) => [e.uid.split('.')[0], e.sequence, e.status])).toEqual([
      ['day@2027-01-04', 1, 'CONFIRMED'],
      ['day@2027-01-05', 2, 'CANCELLED'],
      ['day@2027-01-06', 3, 'CONFIRMED'],
    ]);
    expect(new Set(events.map((e) => e.uid)).size).toBe(3);
    expect(events[2]!.end).toBe('2027-01-06T14:00:00.000Z');
  });

  it('escapes and folds long texts so they read back whole', () => {
    const label = `Kveld; med, komma \\ og æøå ${'ø'.repeat(60)}`;
    const text = feed([version(1, [shift('x@2027-01-04', '2027-01-04T08:00:00+01:00', '2027-01-04T09:00:00+01:00', ['a1'])])], label);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(parse(text)[0]!.summary).toBe(label);
  });
});

describe('signed links', () => {
  const grant = { scheduleId: 's1', scope: 'calendar' as const, assistantId: 'a1' };
  it('holds only for its own grant, generation and time', () => {
    const token = signLink('k'.repeat(32), grant, 2000, 3);
    expect(checkLink('k'.repeat(32), token, grant, 3, 1999)).toBe('valid');
    expect(checkLink('k'.repeat(32), token, grant, 3, 2000)).toBe('expired');
    expect(checkLink('k'.repeat(32), token, grant, 4, 1999)).toBe('invalid');
    expect(checkLink('k'.repeat(32), token, { ...grant, assistantId: 'a2' }, 3, 1999)).toBe('invalid');
    expect(checkLink('j'.repeat(32), token, grant, 3, 1999)).toBe('invalid');
    expect(checkLink('k'.repeat(32), `${token}x`, grant, 3, 1999)).toBe('invalid');
  });
});

describe('texts', () => {
  it('chooses the language from lang, then Accept-Language by quality, then bokmål', () => {
    expect(chooseLang('en', 'nb')).toBe('en');
    expect(chooseLang('de', undefined)).toBeNull();
    expect(chooseLang(undefined, 'de-DE, en;q=0.8, nb;q=0.9')).toBe('nb');
    expect(chooseLang(undefined, 'en-US,en;q=0.9')).toBe('en');
    expect(chooseLang(undefined, 'nn-NO')).toBe('nb');
    expect(chooseLang(undefined, 'fr')).toBe('nb');
    expect(chooseLang(undefined, 'en;q=0, nb;q=0.1')).toBe('nb');
  });

  it('says over- and underspending in plain words', () => {
    expect(budgetSentences(-12, -30, 'nb')[0]).toBe('Med denne turnusen bruker dere 12 timer mer enn vedtaket gir i perioden.');
    expect(budgetSentences(7.5, 10, 'nb')[0]).toBe('Med denne turnusen bruker dere 7,5 timer mindre enn vedtaket gir i perioden.');
    expect(budgetSentences(-12, -30, 'en')[1]).toBe("If the rest of the year goes like this, you will have used 30 hours more than the year's vedtak.");
  });

  it('escapes every value put into markup', () => {
    expect(html`<p title="${'"x"'}">${'<b>&'}${[html`<i>${'<'}</i>`]}</p>`.text).toBe('<p title="&quot;x&quot;">&lt;b&gt;&amp;<i>&lt;</i></p>');
  });
});
