import { DateTime } from 'luxon';
import { vedtakHours } from '../../solver/budget.ts';
import { holidayName } from '../../solver/calendar.ts';
import type { ScheduleRequest } from '../../solver/request.ts';
import type { PlannedShift, ScheduleResult, Unfilled } from '../../solver/result.ts';
import { budgetSentences, hours, unfilledReason, WORDS, type Lang } from '../i18n/texts.ts';
import { html, type Markup } from './html.ts';
import { TURNUS_CSS } from './turnus-style.ts';

/**
 * The arbeidsleder's turnus as one printable page: weeks down and days across with who works each
 * shift, then the timekonto (the vedtak's hours against the plan) and the hours per assistant.
 * Server-rendered; every text from the request goes through the escaping template (views/html.ts).
 */

export interface TurnusPage {
  scheduleId: string;
  input: ScheduleRequest;
  result: ScheduleResult;
  latestVersion: number;
  lang: Lang;
  nameOf: (assistantId: string) => string;
  positionOf: (assistantId: string) => number | undefined;
}

type Words = (typeof WORDS)[Lang];

export function turnusPage(p: TurnusPage): string {
  const w = WORDS[p.lang];
  const zone = p.input.ordning.timezone;
  const start = DateTime.fromISO(p.input.period.start, { zone });
  const end = start.plus({ weeks: p.input.period.weeks }).minus({ days: 1 });
  const date = (d: DateTime) => d.setLocale(p.lang === 'nb' ? 'nb-NO' : 'en-GB').toLocaleString(DateTime.DATE_MED);
  const title = `${w.turnus} ${p.input.ordning.id}`;
  const page = html`<!doctype html>
<html lang="${p.lang === 'nb' ? 'nb' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${TURNUS_CSS}</style>
</head>
<body>
<header>
  <h1>${title}</h1>
  <p>${w.period}: <time datetime="${start.toISODate()}">${date(start)}</time> – <time datetime="${end.toISODate()}">${date(end)}</time>,
    ${w.version} ${p.result.version}${p.result.version < p.latestVersion ? ` (${p.lang === 'nb' ? 'nyeste er' : 'latest is'} ${p.latestVersion})` : ''}</p>
</header>
<main>
${grid(p, w)}
${unfilledTable(p, w)}
<div class="side">
${budget(p, w)}
${assistantsTable(p, w)}
</div>
</main>
</body>
</html>
`;
  return page.text;
}

/** The local date a shift starts on: the day cell it belongs in. */
const startDate = (s: PlannedShift, zone: string) => DateTime.fromISO(s.start, { zone }).toISODate()!;
const clock = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm');

function grid(p: TurnusPage, w: Words): Markup {
  const zone = p.input.ordning.timezone;
  const start = DateTime.fromISO(p.input.period.start, { zone });
  const byDate = new Map<string, PlannedShift[]>();
  for (const s of p.result.shifts) byDate.set(startDate(s, zone), [...(byDate.get(startDate(s, zone)) ?? []), s]);
  const open = new Map(p.result.unfilled.map((u) => [u.shiftId, u]));
  const weeks = Array.from({ length: p.input.period.weeks }, (_, i) => start.plus({ weeks: i }));
  return html`<section aria-labelledby="grid-heading">
<h2 id="grid-heading">${w.turnus}</h2>
<table class="grid" role="table">
<caption>${w.gridCaption}</caption>
<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader"><span class="sr-only">${w.week}</span></th>${w.days.map((d, i) => html`<th scope="col" role="columnheader"><abbr title="${d}">${w.daysShort[i]!}</abbr></th>`)}</tr></thead>
<tbody role="rowgroup">
${weeks.map((monday) => html`<tr role="row"><th scope="row" role="rowheader">${w.weekShort} ${monday.weekNumber}</th>${Array.from({ length: 7 }, (_, d) => dayCell(monday.plus({ days: d }), d, byDate, open, p, w))}</tr>
`)}</tbody>
</table>
</section>`;
}

function dayCell(day: DateTime, weekday: number, byDate: Map<string, PlannedShift[]>, open: Map<string, Unfilled>, p: TurnusPage, w: Words): Markup {
  const iso = day.toISODate()!;
  const holiday = holidayName(iso);
  const sunday = weekday === 6;
  const shifts = (byDate.get(iso) ?? []).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const classes = [sunday && 'sunday', holiday && 'holiday'].filter(Boolean).join(' ');
  return html`<td role="cell" data-date="${iso}"${classes ? html` class="${classes}"` : ''}>
<div class="day"><span class="dayname">${w.days[weekday]!} </span><time datetime="${iso}">${day.toFormat('d.M.')}</time>${sunday && !holiday ? html`<span class="sr-only"> (${w.sunday})</span>` : ''}${holiday ? html` <span class="holiday-name">${holiday}<span class="sr-only"> (${w.holiday})</span></span>` : ''}</div>
${shifts.length === 0 ? html`<p class="none">${w.noShifts}</p>` : html`<ul>${shifts.map((s) => shiftItem(s, open.get(s.id), p, w))}</ul>`}
</td>`;
}

function shiftItem(s: PlannedShift, gap: Unfilled | undefined, p: TurnusPage, w: Words): Markup {
  const zone = p.input.ordning.timezone;
  const label = labelOf(p.input, s.needId);
  const names = s.assistantIds.map(p.nameOf);
  const classes = ['shift', s.kind === 'passive' && 'passive', gap && 'open'].filter(Boolean).join(' ');
  return html`<li class="${classes}" data-shift-id="${s.id}">
<span class="time">${clock(s.start, zone)}–${clock(s.end, zone)}</span> <span class="need">${label}</span>${s.kind === 'passive' ? html` <span class="tag" title="${w.passiveLong}">${w.passive}</span>` : ''}
${names.length ? html`<span class="who">${names.join(', ')}</span>` : ''}
${gap ? html`<span class="gap"><strong>${w.open}: ${w.openPlaces(gap.missing)}.</strong> <span class="reason">${unfilledReason(gap, p.lang, p.nameOf)}</span></span>` : ''}
</li>`;
}

const labelOf = (input: ScheduleRequest, needId: string) => (input.needs.find((n) => n.id === needId) as { label?: string } | undefined)?.label ?? needId;

function unfilledTable(p: TurnusPage, w: Words): Markup {
  const zone = p.input.ordning.timezone;
  const shifts = new Map(p.result.shifts.map((s) => [s.id, s]));
  if (p.result.unfilled.length === 0) return html`<section aria-labelledby="open-heading"><h2 id="open-heading">${w.unfilledHeading}</h2><p>${w.unfilledNone}</p></section>`;
  return html`<section aria-labelledby="open-heading">
<h2 id="open-heading">${w.unfilledHeading}</h2>
<div class="scroll" role="region" tabindex="0" aria-labelledby="open-heading">
<table class="open-table">
<caption>${w.unfilledCaption}</caption>
<thead><tr><th scope="col">${w.shift}</th><th scope="col">${w.missing}</th><th scope="col">${w.reason}</th></tr></thead>
<tbody>${p.result.unfilled.map((u) => {
    const s = shifts.get(u.shiftId);
    const when = s ? `${DateTime.fromISO(s.start, { zone }).toFormat('d.M. HH:mm')}–${clock(s.end, zone)} ${labelOf(p.input, s.needId)}` : u.shiftId;
    return html`<tr><th scope="row">${when}</th><td class="num">${u.missing}</td><td>${unfilledReason(u, p.lang, p.nameOf)}</td></tr>`;
  })}</tbody>
</table>
</div>
</section>`;
}

/** The timekonto: vedtak, planned, unfilled and balance per week and for the period, then the year. */
function budget(p: TurnusPage, w: Words): Markup {
  const { budget: b } = p.result;
  const zone = p.input.ordning.timezone;
  const h = (x: number) => hours(x, p.lang);
  // Uncovered as the budget counts it (solver/diagnostics.ts): every place the needs ask for and the
  // plan leaves empty, dropped for the vedtak or not, in vedtak hours.
  const unfilledByWeek = new Map<string, number>();
  const places = new Map(p.input.needs.map((n) => [n.id, n.assistants]));
  for (const s of p.result.shifts) {
    const missing = Math.max(0, (places.get(s.needId) ?? 0) - s.assistantIds.length);
    const week = DateTime.fromISO(s.start, { zone }).toISOWeekDate()!.slice(0, 8);
    unfilledByWeek.set(week, (unfilledByWeek.get(week) ?? 0) + vedtakHours(s.hours, s.kind, p.input) * missing);
  }
  const [period, year] = budgetSentences(b.balanceHours, b.yearForecast.projectedBalanceHours, p.lang);
  const sign = (x: number) => (x < 0 ? 'negative' : '');
  return html`<section aria-labelledby="budget-heading">
<h2 id="budget-heading">${w.budgetHeading}</h2>
<div class="scroll" role="region" tabindex="0" aria-labelledby="budget-heading">
<table class="budget">
<caption>${w.budgetCaption}</caption>
<thead><tr><th scope="col">${w.week}</th><th scope="col">${w.vedtakHours}</th><th scope="col">${w.plannedHours}</th><th scope="col">${w.unfilledHours}</th><th scope="col">${w.balance}</th></tr></thead>
<tbody>${b.weeks.map((wk) => html`<tr><th scope="row">${w.weekShort} ${Number(wk.week.slice(6))}</th><td class="num">${h(wk.vedtakHours)}</td><td class="num">${h(wk.plannedHours)}</td><td class="num">${h(Math.round((unfilledByWeek.get(wk.week) ?? 0) * 100) / 100)}</td><td class="num ${sign(wk.balanceHours)}">${h(wk.balanceHours)}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">${w.total}</th><td class="num">${h(b.vedtakHoursInPeriod)}</td><td class="num">${h(b.plannedHours)}</td><td class="num">${h(b.unfilledHours)}</td><td class="num ${sign(b.balanceHours)}">${h(b.balanceHours)}</td></tr></tfoot>
</table>
</div>
<p class="sentence" data-figure="period">${period!}</p>
<p class="sentence" data-figure="year"><strong>${w.yearForecast}:</strong> ${year!} (${w.vedtakHours} ${h(b.yearForecast.vedtakHours)} ${w.hoursUnit}, ${p.lang === 'nb' ? 'brukt' : 'used'} ${h(b.yearForecast.usedHours)} ${w.hoursUnit})</p>
</section>`;
}

function assistantsTable(p: TurnusPage, w: Words): Markup {
  const h = (x: number) => hours(x, p.lang);
  return html`<section aria-labelledby="assistants-heading">
<h2 id="assistants-heading">${w.assistantsHeading}</h2>
<div class="scroll" role="region" tabindex="0" aria-labelledby="assistants-heading">
<table class="assistants">
<caption>${w.assistantsCaption}</caption>
<thead><tr><th scope="col">${w.assistant}</th><th scope="col">${w.position}</th><th scope="col">${w.target}</th><th scope="col">${w.plannedHours}</th><th scope="col">${w.deviation}</th><th scope="col">${w.nights}</th><th scope="col">${w.weekends}</th><th scope="col">${w.sundays}</th></tr></thead>
<tbody>${p.result.assistants.map((a) => {
    const position = p.positionOf(a.id);
    return html`<tr data-assistant-id="${a.id}"><th scope="row">${p.nameOf(a.id)}</th><td class="num">${position === undefined ? '–' : `${h(position)} %`}</td><td class="num">${h(a.targetHours)}</td><td class="num">${h(a.plannedHours)}</td><td class="num">${h(a.deviationHours)}</td><td class="num">${a.nights}</td><td class="num">${a.weekendsWorked}</td><td class="num">${a.sundaysWorked}</td></tr>`;
  })}</tbody>
</table>
</div>
</section>`;
}
