import { trusted } from './html.ts';

/**
 * The turnus page's styles: readable on a phone (the grid stacks day by day), printable on A4
 * landscape, and with text contrast of at least 4.5:1 everywhere (WCAG AA). Marks never rely on
 * colour alone: Sundays, helligdager, passive nights and open shifts also carry words.
 */
export const TURNUS_CSS = trusted(`
:root { color: #1a1a1a; background: #fff; font: 16px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body { margin: 0 auto; padding: 1rem; max-width: 110rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-size: .9rem; color: #404040; padding: .25rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .3rem .4rem; vertical-align: top; text-align: left; }
thead th { background: #e8eef5; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.negative { color: #a4001d; font-weight: 600; }
.sr-only, .grid .dayname { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.grid { table-layout: fixed; }
.grid thead th:first-child, .grid tbody th { width: 4.5rem; }
.grid td.sunday, .grid td.holiday { background: #fbeaea; }
.grid td.holiday .day, .grid td.sunday .day { color: #8c0016; font-weight: 600; }
.holiday-name { display: block; font-size: .8rem; }
.grid ul { list-style: none; margin: .25rem 0 0; padding: 0; }
.shift { border-left: 4px solid #2b5d8c; background: #f2f6fa; margin: 0 0 .3rem; padding: .15rem .3rem; font-size: .85rem; }
.shift.passive { border-left-color: #5b3f8c; background: #f1edf8; }
.shift.open { border: 2px solid #a4001d; border-left-width: 6px; background: #fff4d6; }
.shift .time { font-weight: 600; font-variant-numeric: tabular-nums; }
.shift .who { display: block; overflow-wrap: anywhere; }
.assistants th[scope="row"] { overflow-wrap: break-word; }
.tag { font-size: .75rem; border: 1px solid #5b3f8c; color: #3d2a5e; border-radius: .2rem; padding: 0 .2rem; }
.gap { display: block; color: #6e0013; }
.reason { font-size: .78rem; color: #1a1a1a; }
.none { color: #595959; font-size: .8rem; margin: .25rem 0 0; }
.side { display: grid; grid-template-columns: 1fr 1.6fr; gap: 0 2rem; }
.sentence { font-size: 1rem; }
.scroll:focus-visible { outline: 3px solid #2b5d8c; }
@media (max-width: 700px) {
  body { padding: .5rem; }
  .side { display: block; }
  .grid, .grid caption, .grid tbody, .grid tr, .grid th, .grid td { display: block; width: auto; }
  .grid thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .grid tbody th { background: #e8eef5; margin-top: 1rem; width: auto; }
  .grid td { border-top: none; }
  .grid .dayname { position: static; width: auto; height: auto; clip: auto; overflow: visible; }
  .scroll { overflow-x: auto; }
  .assistants, .budget, .open-table { font-size: .8rem; }
  .assistants th, .assistants td, .budget th, .budget td { padding: .2rem .25rem; }
}
@page { size: A4 landscape; margin: 8mm; }
@media print {
  :root { font-size: 8pt; }
  body { padding: 0; max-width: none; }
  .grid { page-break-inside: auto; }
  .grid tr { break-inside: avoid; }
  .shift { margin-bottom: .15rem; }
  .shift, .grid td.sunday, .grid td.holiday { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { break-inside: avoid-page; }
  .grid-section { break-inside: auto; }
}
`);
