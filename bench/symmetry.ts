import { planSchedule, ScheduleRequestSchema, shutdownEngines, warmUpEngines, warmUpPlanner, type ScheduleRequestInput } from '../solver/index.ts';
import { buildModel } from '../solver/model/build.ts';
import { setting } from '../solver/setting.ts';
import type { ScheduleRequest } from '../solver/request.ts';
import { generate, SCALE_SCENARIOS, SCENARIOS, type ScenarioSpec } from './scenarios.ts';

/**
 * `npx tsx bench/symmetry.ts`: the same requests with and without symmetry breaking among
 * assistants the model cannot tell apart (solver/model/symmetry.ts), alternating, twice each:
 * how many such groups each has, and what every level reached in the time limit.
 */
const uniform = (spec: ScenarioSpec, percent: number): ScheduleRequestInput => {
  const r = generate(spec);
  return { ...r, assistants: r.assistants!.map((a) => ({ id: a.id, positionPercent: percent, skills: ['lifting'] })) };
};

const CASES: { name: string; request: ScheduleRequestInput; seconds: number }[] = [
  { name: 'uniform-6x4-3shifts (6 alike)', request: uniform(SCENARIOS.find((s) => s.name === 'target-6x4-3shifts')!, 80), seconds: 30 },
  { name: 'uniform-12x6 (12 alike)', request: uniform(SCENARIOS.find((s) => s.name === 'target-12x6')!, 50), seconds: 30 },
  { name: 'uniform-15x8 (15 alike)', request: uniform(SCENARIOS.find((s) => s.name === 'large-15x8')!, 60), seconds: 30 },
  { name: 'kommune-30x12 (as generated)', request: generate(SCALE_SCENARIOS[0]!), seconds: 60 },
];

await warmUpEngines();
await warmUpPlanner(3); // compiled before the first measured solve, which would otherwise pay for it
console.log('| case | symmetry breaking | groups (sizes) | outcome | levels: value / bound (status, s) | total s |');
console.log('|---|---|---|---|---|---|');
for (const c of CASES) {
  const request = ScheduleRequestSchema.parse({ ...c.request, solver: { timeLimitSeconds: c.seconds, relativeGap: 0.01, engine: 'highs' } });
  for (const breakSymmetry of [false, true, false, true]) {
    const r = await planSchedule(request, { breakSymmetry });
    const levels = r.solver.levels.filter((l) => l.timeMs > 0 || l.status !== 'optimal').map((l) => `${l.name} ${l.value} / ${l.bound ?? '-'} (${l.status}, ${(l.timeMs / 1000).toFixed(1)})`).join('; ');
    console.log(`| ${c.name} | ${breakSymmetry ? 'yes' : 'no'} | ${breakSymmetry ? groupSizes(request) : '-'} | ${r.outcome} | ${levels} | ${(r.solver.timeMs / 1000).toFixed(1)} |`);
  }
}
await shutdownEngines();

/** The groups the model orders, as the planner builds it for a first plan. */
function groupSizes(request: ScheduleRequest): string {
  const set = setting(request);
  const built = buildModel({ ...set, fixed: new Map(), window: set.span, objective: { balance: true, targets: set.targets }, breakSymmetry: true });
  return built.symmetric.map((g) => g.length).join(', ') || 'none';
}
