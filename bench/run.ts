import { readFileSync } from 'node:fs';
import { planSchedule, ScheduleRequestSchema, shutdownEngines, warmUpEngines } from '../solver/index.ts';
import type { ScheduleResult } from '../solver/result.ts';
import { runInstance, type CurtoisRow } from './curtois/run.ts';
import { generate, SCENARIOS } from './scenarios.ts';
import { replanFigures } from './replan.ts';

/**
 * `npm run bench`: every scenario with each engine (and the week-by-week path), then the Curtois
 * instances. `--ci`: a short subset. Exits non-zero when a plan is illegal or a result that was
 * optimal (bench/expected.json) got worse; never on timing.
 */
const ci = process.argv.includes('--ci');
const expected = JSON.parse(readFileSync(new URL('./expected.json', import.meta.url), 'utf8')) as { curtois: Record<string, number>; optimalScenarios: string[] };
const failures: string[] = [];

interface Row { scenario: string; path: string; timeMs: number; outcome: string; covered: string; objective: number | null; bound: number | null; gap: number | null; fairness: number; violations: number }

async function runScenario(name: string, path: 'highs' | 'jslp' | 'rolling', timeLimitSeconds: number): Promise<Row> {
  const spec = SCENARIOS.find((s) => s.name === name)!;
  const input = generate(spec);
  const request = ScheduleRequestSchema.parse({ ...input, solver: { ...input.solver, timeLimitSeconds, engine: path === 'jslp' ? 'jslp' : 'highs' } });
  const started = performance.now();
  const r: ScheduleResult = await planSchedule(request, { forceRolling: path === 'rolling' });
  const places = r.shifts.reduce((t, s) => t + s.assistantIds.length, 0);
  const wanted = places + r.unfilled.reduce((t, u) => t + u.missing, 0) + r.budget.droppedNeeds.length;
  return {
    scenario: name, path: r.solver.engine, timeMs: Math.round(performance.now() - started), outcome: r.outcome, covered: `${places}/${wanted}`,
    objective: r.solver.objective, bound: r.solver.bound, gap: r.solver.gap, fairness: r.fairness.maxRelativeDeviation, violations: r.compliance.violations.length,
  };
}

function table(rows: object[]): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));
  return [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => cell((r as Record<string, unknown>)[k])).join(' | ')} |`)].join('\n');
}

await warmUpEngines();
const scenarioNames = ci ? ['small-4x2', 'target-6x4-3shifts'] : SCENARIOS.map((s) => s.name);
const limit = ci ? 10 : 20;
const rows: (Row & { timeVsBest?: number })[] = [];
for (const name of scenarioNames) {
  const mine: Row[] = [];
  for (const path of ['highs', 'jslp', 'rolling'] as const) mine.push(await runScenario(name, path, limit));
  const fastest = Math.min(...mine.map((r) => r.timeMs));
  for (const r of mine) {
    rows.push({ ...r, timeVsBest: r.timeMs / fastest });
    if (r.violations > 0) failures.push(`${r.scenario} ${r.path}: ${r.violations} violations`);
    if (expected.optimalScenarios.includes(`${r.scenario}/${r.path}`) && r.outcome !== 'optimal') failures.push(`${r.scenario} ${r.path}: was optimal, now ${r.outcome}`);
  }
}
console.log(`## BPA scenarios (time limit ${limit} s each)\n\n${table(rows)}\n`);

const curtois: CurtoisRow[] = [];
const instances = ci ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7, 8];
for (const n of instances) {
  const row = await runInstance(n, 'highs', ci ? 30_000 : 60_000);
  curtois.push(row);
  if (row.violations > 0) failures.push(`Curtois ${n}: ${row.violations} hard violations`);
  const optimum = expected.curtois[String(n)];
  if (optimum !== undefined && (row.score === null || row.score > optimum)) failures.push(`Curtois ${n}: ${row.score} is worse than the optimum ${optimum} we reached before`);
}
console.log(`## Curtois & Qu (HiGHS)\n\n${table(curtois.map(({ mismatch, ...r }) => ({ ...r, ratio: r.ratio })))}\n`);

const replan = await replanFigures(ci ? 5 : 15);
console.log(`## Sick-leave re-plan, HTTP to completed version (4 weeks, 6 assistants, pool of 20)\n\n${table([replan])}\n`);
if (replan.violations > 0) failures.push(`re-plans: ${replan.violations} violations`);

await shutdownEngines();
if (failures.length) {
  console.error(`bench failed:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('bench: every plan legal, no optimum lost');
