import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { loadConfig } from '../src/config.ts';
import { start } from '../src/server.ts';
import { AssistantSchema, type Assistant, type ScheduleRequestInput } from '../solver/index.ts';
import { startRedis, type PrivateRedis } from '../test/helpers/redis.ts';
import { auditPool, checkEachPlan, sharedMembers, type StoredPlan } from './pool-audit.ts';

/**
 * `npm run bench -- --pool`: 40 ordninger sharing a kommune-wide pool of 30, every first plan
 * posted at once against a real redis-server (started here on a free port), once with one worker
 * process and once with two (`src/worker-main.ts`, as `npm run worker` runs it), in paired rounds
 * (poolBench). Every plan is checked from the stored plans: the
 * solver's checker on each with the others' pool shifts as work elsewhere, and an audit of its own
 * (bench/pool-audit.ts). Prints the ratio of total times, two workers / one (issue 15: at most 0.6),
 * per pair of rounds, beside the best ratio the one worker's CPU time allows on two cores, and the peak heap
 * per solve. With `POOL_BENCH_LOGS=<dir>` the workers' logs are written there (when each job was
 * solved, and how long it took); `POOL_BENCH_NODE_FLAGS` gives the worker processes V8 flags to try.
 */
const ORDNINGER = 40;
const MEMBERS = 30;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const WEEKS = 4;
const WEEK_STARTS = Array.from({ length: WEEKS }, (_, w) => Date.parse('2027-01-04T00:00:00+01:00') + w * 7 * 86_400_000);

/** The pool's members as the solver reads them, `${prefix}1` to `${prefix}30` without a contract (the members this bench puts in the pool, with prefix `p`). */
export const poolMembers = (prefix = 'p'): Assistant[] => Array.from({ length: MEMBERS }, (_, m) => AssistantSchema.parse({ id: `${prefix}${m + 1}`, positionPercent: 0 }));

/**
 * Day work Monday to Saturday for four weeks, shifts at one of three times so members can be shared
 * within a day only across the rest; a team of one at 60 %: the pool covers about 120 shifts a
 * week, its 30 members' 40 h weeks allow 150, so the summed limits bind across ordninger.
 */
export function poolOrdning(i: number): ScheduleRequestInput {
  const times: [string, string][] = [['07:00', '15:00'], ['08:00', '16:00'], ['14:00', '22:00']];
  const [start, end] = times[i % 3]!;
  return {
    ordning: { id: `ord-${i}`, vedtak: { hoursPerWeek: 60, year: 2027 } },
    period: { start: '2027-01-04', weeks: WEEKS },
    needs: [{ id: 'day', days: [...DAYS], start, end }],
    assistants: [{ id: `ord-${i}-a1`, positionPercent: 60 }],
    pool: { id: 'kommune' },
    solver: { timeLimitSeconds: 10, relativeGap: 0.01, engine: 'highs' },
  };
}

interface Run {
  workers: number; round: Round; totalMs: number; workerCpuS: number; otherCpuS: number; plans: number; violations: number; auditProblems: number; poolShifts: number; unfilled: number;
  sharedMembers: number; notProven: number; fairnessMean: number; clashes: number; resolved: number; lockHeldMsMedian: number; lockedSolves: number; solveMsMedian: number; peakHeapMbMedian: number; peakHeapMbMax: number; load: string;
}

/**
 * Both setups (one worker process, two) start together, each with its own API and queue on the same
 * redis-server, and take turns: `fresh` right after their workers started, then WARM_PAIRS `warm`
 * rounds once they have planned (V8 has compiled the planner's hot code, bench/RESULTS.md). Each
 * round plans the 40 ordninger into a pool of its own. Rounds come in pairs, one worker beside two,
 * back to back and in alternating order: this machine's speed drifts by a third over minutes
 * (the same solves, run alone, took 8.3 s and 12.2 s minutes apart), so a ratio is taken only
 * between rounds run next to each other.
 */
const WARM_PAIRS = 5;
type Round = string;

export async function poolBench(): Promise<Run[]> {
  // The workers run the compiled service, as `npm run worker` does (its `preworker` builds when stale).
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  const redis = await startRedis();
  const setups = await Promise.all([1, 2].map((w) => setUp(redis, w)));
  try {
    const runs: Run[] = [];
    const pairs: [Run, Run][] = [];
    for (let k = 0; k <= WARM_PAIRS; k++) {
      const round = k === 0 ? 'fresh' : `warm ${k}`;
      // Alternating which setup goes first, so that a drift in one direction favours neither.
      const order = k % 2 === 0 ? setups : [...setups].reverse();
      const pair: Run[] = [];
      for (const s of order) pair.push(await runRound(s.api.url, redis, s.procs, s.workers, round));
      runs.push(...pair);
      pairs.push([pair.find((r) => r.workers === 1)!, pair.find((r) => r.workers === 2)!]);
    }
    console.log(`## Pool in parallel: ${ORDNINGER} ordninger, pool of ${MEMBERS}, first plans posted at once (real Redis)\n`);
    console.log('| workers | round | totalMs | worker CPU s | API + Redis CPU s | plans | violations | auditProblems | poolShifts | unfilled | sharedMembers | plans not proven optimal | fairness (mean of max deviation) | clashes | solved again after a repair | lock held ms median | lockedSolves | solveMs median | peakHeapMb median | peakHeapMb max | load average (1/5/15 min, before - after) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of runs) console.log(`| ${r.workers} | ${r.round} | ${r.totalMs} | ${r.workerCpuS} | ${r.otherCpuS} | ${r.plans} | ${r.violations} | ${r.auditProblems} | ${r.poolShifts} | ${r.unfilled} | ${r.sharedMembers} | ${r.notProven} | ${r.fairnessMean} | ${r.clashes} | ${r.resolved} | ${r.lockHeldMsMedian} | ${r.lockedSolves} | ${r.solveMsMedian} | ${r.peakHeapMbMedian} | ${r.peakHeapMbMax} | ${r.load} |`);
    console.log('');
    const ratios = pairs.map(([one, two]) => {
      // With no clash and every core busy, two workers could at best do the one worker's CPU work in half the machine's time.
      const floor = (one.workerCpuS + one.otherCpuS) / 2 / (one.totalMs / 1000);
      const ratio = two.totalMs / one.totalMs;
      console.log(`ratio two workers / one, ${one.round}: ${ratio.toFixed(2)} (goal at most 0.6; the one worker's CPU on two cores: ${floor.toFixed(2)})`);
      return ratio;
    });
    const warm = ratios.slice(1);
    const total = (w: 0 | 1) => pairs.slice(1).reduce((t, p) => t + p[w].totalMs, 0);
    console.log(`ratio two workers / one, ${warm.length} warm pairs: median ${median(warm).toFixed(2)}, best ${Math.min(...warm).toFixed(2)}, worst ${Math.max(...warm).toFixed(2)}, of their summed times ${(total(1) / total(0)).toFixed(2)}\n`);
    return runs;
  } finally {
    await Promise.all(setups.map((s) => s.stop()));
    await redis.stop();
  }
}

interface Setup { workers: number; api: { url: string }; procs: WorkerProcess[]; stop: () => Promise<void> }

/** An API (no worker of its own) and `workers` worker processes, on a queue and store prefix of their own. */
async function setUp(redis: PrivateRedis, workers: number): Promise<Setup> {
  const env = { ...process.env, REDIS_URL: redis.url, REDIS_PREFIX: `poolbench${workers}`, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '1' };
  const api = await start(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { api: true, worker: false });
  const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(env)));
  return {
    workers, api, procs,
    stop: async () => {
      await Promise.all(procs.map((p) => p.stop()));
      await api.stop();
    },
  };
}

async function runRound(base: string, redis: PrivateRedis, procs: WorkerProcess[], workers: number, round: Round): Promise<Run> {
  const poolId = `kommune-${round.replace(' ', '-')}`;
  for (let m = 1; m <= MEMBERS; m++) await call(base, 'PUT', `/pools/${poolId}/assistants/p${m}`, { positionPercent: 0 });
  procs.forEach((p) => p.mark());
  const loadBefore = loadavg();
  const requests = Array.from({ length: ORDNINGER }, (_, i) => ({ ...poolOrdning(i), pool: { id: poolId } }));
  const started = Date.now();
  const otherCpuFrom = otherCpu(redis);
  const ids = (await Promise.all(requests.map((r) => call(base, 'POST', '/schedules', r)))).map((b) => b.id as string);
  await waitAll(base, ids);
  const otherCpuS = Math.round((otherCpu(redis) - otherCpuFrom) * 10) / 10;
  const workerCpuS = Math.round(procs.reduce((t, p) => t + p.cpuSeconds(), 0) * 10) / 10;
  const loadAfter = loadavg();
  const done = await Promise.all(ids.map((id) => call(base, 'GET', `/schedules/${id}`)));
  // Timed by the stores' own clock (same machine): when the last plan was saved, not when polling saw it.
  const totalMs = Math.max(...done.map((d) => Date.parse(d.updatedAt))) - started;
  const plans: StoredPlan[] = done.map((d, i) => ({ scheduleId: ids[i]!, request: requests[i]!, result: d.result }));
  const failed = done.filter((d) => d.status !== 'completed').length;
  if (failed) throw new Error(`${failed} plans failed`);
  const audit = auditPool(plans, WEEK_STARTS);
  const checked = checkEachPlan(plans);
  for (const p of [...audit, ...checked].slice(0, 10)) console.error(`pool bench: ${p}`);
  if (audit.length + checked.length) writeFileSync(`/tmp/pool-bench-${workers}-${round.replace(' ', '-')}.json`, JSON.stringify(plans));
  const heaps = plans.map((p) => p.result.solver.peakHeapMb ?? 0).sort((a, b) => a - b);
  const logs = procs.map((p) => p.log).join('');
  if (process.env.POOL_BENCH_LOGS) procs.forEach((p, i) => writeFileSync(`${process.env.POOL_BENCH_LOGS}/worker-${workers}-${i}-${round.replace(' ', '-')}.log`, p.log));
  return {
    workers, round, totalMs, workerCpuS, otherCpuS, plans: plans.length,
    violations: plans.reduce((t, p) => t + p.result.compliance.violations.length, 0) + checked.length,
    auditProblems: audit.length,
    poolShifts: plans.reduce((t, p) => t + p.result.shifts.reduce((n, s) => n + s.sources.filter((x) => x === 'pool').length, 0), 0),
    unfilled: plans.reduce((t, p) => t + p.result.unfilled.length, 0),
    sharedMembers: sharedMembers(plans),
    // Plan quality: a repair booked after a clash is not proven, and may be less fair than a whole solve.
    notProven: plans.filter((p) => p.result.outcome !== 'optimal').length,
    fairnessMean: Math.round((plans.reduce((t, p) => t + p.result.fairness.maxRelativeDeviation, 0) / plans.length) * 1e4) / 1e4,
    clashes: count(logs, 'pool clash at booking'),
    resolved: count(logs, 'pool repair scored lower'),
    lockHeldMsMedian: median(held(logs)),
    lockedSolves: count(logs, 'pool solve under the lock'),
    solveMsMedian: median(plans.map((p) => p.result.solver.timeMs)),
    peakHeapMbMedian: heaps[Math.floor(heaps.length / 2)]!, peakHeapMbMax: heaps.at(-1)!,
    load: `${fmtLoad(loadBefore)} - ${fmtLoad(loadAfter)}`,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(1)).join('/');
/** How long each check-and-book held the pool's lock, from the workers' logs (their JSON lines: V8 flags may add traces). */
const held = (text: string) => text.split('\n').filter((l) => l.startsWith('{') && l.includes('"heldMs"')).map((l) => (JSON.parse(l) as { heldMs: number }).heldMs);
const count = (text: string, msg: string) => text.split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).length;

/** A worker process; `mark` starts its CPU time and log afresh (each round reads its own). */
interface WorkerProcess { log: string; cpuSeconds: () => number; mark: () => void; stop: () => Promise<void> }

/**
 * A worker process as `npm run worker` starts it, from dist/ (not the sources under tsx: tsx keeps
 * every function's name by a call around it, and those functions' code differs), ready once it logs
 * `started` (its planner thread warm).
 */
function startWorker(env: NodeJS.ProcessEnv): Promise<WorkerProcess> {
  const flags = process.env.POOL_BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...flags, 'dist/src/worker-main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { log: '' };
  child.stderr!.on('data', (d: Buffer) => process.env.DEBUG_WORKERS && process.stderr.write(d));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out.log += d.toString();
      if (out.log.includes('"msg":"started"')) {
        let cpuFrom = 0;
        let logFrom = 0;
        const mark = () => {
          cpuFrom = cpuSecondsOf(child.pid!);
          logFrom = out.log.length;
        };
        mark();
        resolve({ get log() { return out.log.slice(logFrom); }, cpuSeconds: () => cpuSecondsOf(child.pid!) - cpuFrom, mark, stop });
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it started`)));
  });
}

/** CPU time of this process (the API, and the polling) and of the redis-server. */
const otherCpu = (redis: PrivateRedis) => {
  const self = process.cpuUsage();
  return (self.user + self.system) / 1e6 + cpuSecondsOf(redis.pid);
};

/** CPU time (user + system, every thread) a process has used, from /proc (Linux; 0 elsewhere). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status}`);
  return res.json();
}

/**
 * Waits for every schedule to end, polling the list (one request a second: the bench shares the
 * machine's two cores with the workers it measures).
 */
async function waitAll(base: string, ids: string[]): Promise<void> {
  const waiting = new Set(ids);
  for (const until = Date.now() + 20 * 60_000; waiting.size > 0; ) {
    if (Date.now() > until) throw new Error(`${waiting.size} plans not done after 20 min`);
    await new Promise((r) => setTimeout(r, 1000));
    for (let cursor: string | null = '', pages = 0; cursor !== null && pages < 10; pages++) {
      const page = await call(base, 'GET', `/schedules?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const s of page.items as { id: string; status: string }[]) if (s.status === 'completed' || s.status === 'failed') waiting.delete(s.id);
      cursor = page.nextCursor;
    }
  }
}
