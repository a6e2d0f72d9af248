import { afterAll, expect, it } from 'vitest';
import { Planner } from '../src/planner/planner.ts';
import { checkPlan, ruleParameters, ScheduleRequestSchema } from '../solver/index.ts';
import { slowRequest, smallRequest } from './helpers/requests.ts';

const planner = new Planner({ heapMb: 768, killGraceMs: 2000 }, 1);
afterAll(() => planner.close());

it('runs task after task in one warm thread: a first plan, then a re-plan of it', async () => {
  const request = ScheduleRequestSchema.parse(smallRequest());
  const reports: [number, string][] = [];
  const first = await planner.run({ kind: 'plan', request, members: [], bookings: [] }, (f, p) => reports.push([f, p]));
  expect(first.outcome).toBe('optimal');
  // The thread posts progress at most every 50 ms, the latest kept: the first report at once, then in order.
  expect(reports[0]).toEqual([0.05, 'normalise']);
  const fractions = reports.map(([f]) => f);
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  const sick = { assistantId: first.shifts.find((s) => s.assistantIds.length > 0)!.assistantIds[0]!, from: '2027-01-05T00:00', to: '2027-01-07T00:00' };
  const next = await planner.run({ kind: 'replan', request, latest: first, applied: 0, reports: [sick], members: [], bookings: [] }, () => {});
  expect(next.shifts.filter((s) => s.start >= '2027-01-05' && s.start < '2027-01-07').every((s) => !s.assistantIds.includes(sick.assistantId))).toBe(true);
  expect(next.compliance.violations).toEqual([]);
}, 60_000);

it('a cancelled solve answers at once with the best plan found so far, checked', async () => {
  const request = ScheduleRequestSchema.parse({ ...slowRequest(), solver: { timeLimitSeconds: 60, relativeGap: 0, engine: 'highs' } });
  const stop = new AbortController();
  let cancelledAt = 0;
  const running = planner.run({ kind: 'plan', request, members: [], bookings: [] }, (_f, phase) => {
    // Cancel once the search is under way (past the greedy start and the first level).
    if (phase === 'solve:fairness' && !cancelledAt) setTimeout(() => ((cancelledAt = Date.now()), stop.abort()), 500);
  }, stop.signal);
  const result = await running;
  expect(cancelledAt).toBeGreaterThan(0);
  // A plan at all proves the bound the issue sets (a cancelled 60 s solve answers within 2 s): the
  // planner kills a thread that has not answered killGraceMs (2 s) after a cancel, and then rejects.
  expect(result.solver.cancelled).toBe(true);
  expect(result.outcome).not.toBe('optimal');
  expect(result.shifts.some((s) => s.assistantIds.length > 0)).toBe(true);
  expect(checkPlan({ request, params: ruleParameters(request.rules.profile, request.rules.overrides), shifts: result.shifts })).toEqual([]);
}, 90_000);

it('a stop given before the task reaches the thread still answers with a checked plan, not a kill', async () => {
  const request = ScheduleRequestSchema.parse({ ...slowRequest(), solver: { timeLimitSeconds: 60, relativeGap: 0, engine: 'highs' } });
  const stop = new AbortController();
  stop.abort();
  const result = await planner.run({ kind: 'plan', request, members: [], bookings: [] }, () => {}, stop.signal);
  expect(result.solver.cancelled).toBe(true);
  expect(checkPlan({ request, params: ruleParameters(request.rules.profile, request.rules.overrides), shifts: result.shifts })).toEqual([]);
}, 90_000);

it('reports the planner thread\'s peak heap of each solve', async () => {
  const small = await planner.run({ kind: 'plan', request: ScheduleRequestSchema.parse(smallRequest()), members: [], bookings: [] }, () => {});
  expect(small.solver.peakHeapMb).toBeGreaterThan(1);
  expect(small.solver.peakHeapMb).toBeLessThan(768);
  console.log(`peak heap of a small solve: ${small.solver.peakHeapMb} MB`);
}, 60_000);
