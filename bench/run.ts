import { readFileSync } from 'node:fs';
import { planSchedule, ScheduleRequestSchema, shutdownEngines, warmUpEngines } from '../solver/index.ts';
import type { ScheduleResult } from '../solver/result.ts';
import { runInstance, type CurtoisRow } from './curtois/run.ts';
import { generate, SCALE_SCENARIOS, SCENARIOS } from './scenarios.ts';
import { scaleFigures } from './scale.ts';
import { replanFigures } from './replan.ts';
import { coveredHours, type Covered, PRIORITIES, provenCoverage } from './proven-coverage.ts';

/**
 * `npm run bench`: every scenario at default settings, with javascript-lp-solver and week by week
 * only, each against its separately proven coverage maximum; then the Curtois instances and re-plans.
 * `--ci`: a short subset. Exits non-zero when a plan is illegal, a default-settings plan covers less
 * than the proven maximum, or a Curtois optimum we reached before is lost (bench/expected.json);
 * never on timing. `--pool`: the shared pool with one and two worker processes (bench/pool.ts);
 * `--claims`: clashes at booking with and without claims (bench/claims.ts); `--pool-replay`: a first
 * plan's solve beside another, replayed in one process (bench/pool-replay.ts); `--own-claim`: a first
 * plan solved on its own claim first, against the whole pool (bench/own-claim.ts).
 */
if (process.argv.includes('--pool')) {
  // `npm run bench -- --pool`: the shared pool in parallel only (bench/pool.ts).
  const { poolBench } = await import('./pool.ts');
  const runs = await poolBench();
  process.exit(runs.some((r) => r.violations + r.auditProblems > 0) ? 1 : 0);
}
if (process.argv.includes('--pool-replay')) {
  // `npm run bench -- --pool-replay`: what a first plan costs to solve beside another (bench/pool-replay.ts).
  const { poolReplay } = await import('./pool-replay.ts');
  await poolReplay();
  process.exit(0);
}
if (process.argv.includes('--own-claim')) {
  // `npm run bench -- --own-claim`: a first plan on its own claim first, against the whole pool (bench/own-claim.ts).
  const { ownClaimBench } = await import('./own-claim.ts');
  await ownClaimBench();
  process.exit(0);
}
if (process.argv.includes('--claims')) {
  // `npm run bench -- --claims`: clashes at booking with and without claims (bench/claims.ts).
  const { claimsBench } = await import('./claims.ts');
  await claimsBench();
  process.exit(0);
}
const ci = process.argv.includes('--ci');
const expected = JSON.parse(readFileSync(new URL('./expected.json', import.meta.url), 'utf8')) as { curtois: Record<string, number> };
const failures: string[] = [];

interface Row {
  scenario: string; path: string; outcome: string;
  /** Clock hours covered, essential + important + optional, and the separately proven maximum. */
  coveredHours: number; provenMaxHours: number | null;
  /** When the plan's coverage was reached (the coverage levels done), and the whole solve. */
  coverageMs: number; timeMs: number;
  /** Largest relative deviation from contract hours, and the bound the default path proved for it at that coverage. */
  fairness: number | null; fairnessBound: number | null;
  open: string; violations: number;
}

type Path = 'default' | 'jslp' | 'rolling';

/** One scenario on one path: default settings (engine auto), javascript-lp-solver, or week by week only. */
async function runScenario(name: string, path: Path, proven: Covered | null): Promise<Row & { covered: Covered }> {
  const spec = SCENARIOS.find((s) => s.name === name)!;
  const input = generate(spec);
  const solver = path === 'jslp' ? { engine: 'jslp' as const } : {};
  const request = ScheduleRequestSchema.parse({ ...input, solver });
  const started = performance.now();
  let coverageAt: number | undefined;
  const onProgress = (_: number, phase: string) => {
    if (coverageAt === undefined && phase.startsWith('solve:') && !phase.startsWith('solve:coverage-')) coverageAt = performance.now();
  };
  const r: ScheduleResult = await planSchedule(request, { forceRolling: path === 'rolling', onProgress });
  const timeMs = Math.round(performance.now() - started);
  const covered = coveredHours(request, r);
  const fairness = r.solver.levels.find((l) => l.name === 'fairness');
  return {
    scenario: name, path: r.solver.engine, outcome: r.outcome,
    coveredHours: sum(covered), provenMaxHours: proven ? sum(proven) : null,
    coverageMs: coverageAt === undefined ? timeMs : Math.round(coverageAt - started), timeMs,
    fairness: fairness?.value ?? null, fairnessBound: fairness?.bound ?? null,
    open: r.solver.levels.filter((l) => l.status !== 'optimal').map((l) => l.name).join(' ') || '-',
    violations: r.compliance.violations.length,
    covered,
  };
}

const sum = (c: Covered) => Math.round(PRIORITIES.reduce((t, p) => t + c[p], 0) * 100) / 100;
const short = (a: Covered, b: Covered) => PRIORITIES.filter((p) => a[p] < b[p] - 1e-6);

function table(rows: object[]): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));
  return [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => cell((r as Record<string, unknown>)[k])).join(' | ')} |`)].join('\n');
}

await warmUpEngines();
const scenarioNames = ci ? ['small-4x2', 'target-6x4-3shifts', 'capped-6x4'] : SCENARIOS.map((s) => s.name);
const rows: Row[] = [];
const readings: { scenario: string; provenMaxPer24h: number | null; provenMax: number | null }[] = [];
for (const name of scenarioNames) {
  const input = generate(SCENARIOS.find((s) => s.name === name)!);
  const request = ScheduleRequestSchema.parse(input);
  const proven = await provenCoverage(request);
  // The night-work rule as the law reads it (4-week average) against the stricter per-24 h reading of before.
  const per24h = await provenCoverage(ScheduleRequestSchema.parse({ ...input, rules: { ...input.rules, overrides: { nightWorkLimit: 'per-24h' } } }));
  readings.push({ scenario: name, provenMaxPer24h: per24h ? sum(per24h) : null, provenMax: proven ? sum(proven) : null });
  if (per24h && proven && sum(proven) < sum(per24h) - 1e-6) failures.push(`${name}: the law's night-work reading covers less than the stricter one`);
  const mine: (Row & { covered: Covered })[] = [];
  for (const path of ['default', 'jslp', 'rolling'] as const) mine.push(await runScenario(name, path, proven));
  // Fairness is compared with the bound the default path proved at the same (maximal) coverage.
  const bound = mine[0]!.fairnessBound;
  for (const { covered, ...r } of mine) {
    rows.push({ ...r, fairnessBound: r.coveredHours === mine[0]!.coveredHours ? bound : null });
    if (r.violations > 0) failures.push(`${r.scenario} ${r.path}: ${r.violations} violations`);
  }
  if (!proven) failures.push(`${name}: the coverage maximum could not be proven within 60 s`);
  else if (short(mine[0]!.covered, proven).length) {
    const plan = mine[0]!.covered;
    failures.push(`${name}: default settings cover ${sum(plan)} h, the proven maximum is ${sum(proven)} h (short in ${short(plan, proven).join(', ')})`);
  }
}
const defaults = ScheduleRequestSchema.parse(generate(SCENARIOS[0]!)).solver;
console.log(`## BPA scenarios (default settings: ${defaults.timeLimitSeconds} s, relative gap ${defaults.relativeGap})\n\n${table(rows)}\n`);
console.log(`## Proven coverage (hours) under night work per 24 h (before) and averaged over 4 weeks (the law, now)\n\n${table(readings)}\n`);

// Issue 15's scale target (full run only): coverage proven, fairness within 2 % of its bound, in 60 s.
if (!ci) {
  const scale = [];
  for (const spec of SCALE_SCENARIOS) {
    const row = await scaleFigures(spec);
    scale.push(row);
    if (row.violations > 0) failures.push(`${spec.name}: ${row.violations} violations`);
  }
  console.log(`## At scale (60 s; fairness gap = (value - bound) / value; peak RSS of the bench process)\n\n${table(scale)}\n`);
}

const curtois: CurtoisRow[] = [];
// The full run: Instances 1-12, HiGHS, column generation (solver/columns.ts), then large-neighbourhood
// search (solver/lns.ts); --ci: HiGHS alone on 1-3, each to the optimum it reached before. CI asks
// whether the optimum is still reached, not how fast: HiGHS stops once it is proven (Instance 3 at
// 20 s one day, 27-32 s another, and not in 30 s on CI that day), and the limit leaves room for that.
const instances = ci ? [1, 2, 3] : [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
for (const n of instances) {
  const row = await runInstance(n, 'highs', ci ? 120_000 : 60_000, undefined, !ci);
  curtois.push(row);
  if (row.violations > 0) failures.push(`Curtois ${n}: ${row.violations} hard violations`);
  const optimum = expected.curtois[String(n)];
  if (optimum !== undefined && (row.score === null || row.score > optimum)) failures.push(`Curtois ${n}: ${row.score} is worse than the optimum ${optimum} we reached before`);
}
console.log(`## Curtois & Qu (${ci ? 'HiGHS' : 'HiGHS, column generation, then LNS'})\n\n${table(curtois.map(({ mismatch, ...r }) => ({ ...r, ratio: r.ratio })))}\n`);

const replan = await replanFigures(ci ? 5 : 15);
console.log(`## Sick-leave re-plan, HTTP to completed version (4 weeks, 6 assistants, pool of 20)\n\n${table([replan])}\n`);
if (replan.violations > 0) failures.push(`re-plans: ${replan.violations} violations`);

await shutdownEngines();
if (failures.length) {
  console.error(`bench failed:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log('bench: every plan legal, no optimum lost');
