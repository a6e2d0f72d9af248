import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { start, type Running } from '../src/server.ts';
import { Redis } from 'ioredis';
import { freePort, startRedis, type PrivateRedis } from './helpers/redis.ts';
import { slowRequest } from './helpers/requests.ts';
import { getJson, postJson, waitForSchedule } from './helpers/service.ts';

let redis: PrivateRedis;
let api: Running;
const workers: ChildProcess[] = [];
const env = () => ({ ...process.env, REDIS_PREFIX: 'kill', JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000', JOB_MAX_STARTS: '2', LOG_LEVEL: 'info', REDIS_URL: redis.url });

/** A worker in its own process, as `npm run worker` starts it. */
function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker-main.ts'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => process.env.DEBUG_WORKERS && process.stderr.write(d));
  child.stderr!.on('data', (d: Buffer) => process.env.DEBUG_WORKERS && process.stderr.write(d));
  workers.push(child);
  return child;
}

const solvedBy = (child: ChildProcess) =>
  new Promise<boolean>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('schedule solved') && resolve(true));
    child.once('exit', () => resolve(false));
  });

beforeAll(async () => {
  redis = await startRedis();
  api = await start(loadConfig({ ...env(), PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { api: true, worker: false });
});

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  await api?.stop();
  await redis?.stop();
});

it('finishes a job on another worker when the one solving it is killed', async () => {
  const first = startWorker();
  const posted = await postJson(`${api.url}/schedules`, slowRequest());
  expect(posted.status).toBe(202);
  for (let i = 0; ; i++) {
    const { body } = await getJson(`${api.url}/schedules/${posted.body.id}`);
    if (body.status === 'solving') break;
    if (i > 600) throw new Error(`never started solving (${body.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  first.kill('SIGKILL');
  await new Promise((r) => first.once('exit', r));
  expect((await getJson(`${api.url}/schedules/${posted.body.id}`)).body.status).toBe('solving');

  const second = startWorker();
  const solved = solvedBy(second);
  const done = await waitForSchedule(api.url, posted.body.id, 90_000);
  expect(done.status).toBe('completed');
  expect(await solved).toBe(true);
  expect(done.result.compliance.violations).toEqual([]);
  expect(done.result.shifts.some((s: any) => s.assistantIds.length > 0)).toBe(true);
}, 120_000);

it('SIGTERM lets a worker finish its running solve before it exits', async () => {
  for (const w of workers.splice(0)) if (w.exitCode === null && w.signalCode === null) {
    w.kill('SIGKILL');
    await new Promise((r) => w.once('exit', r));
  }
  const worker = startWorker();
  const solved = solvedBy(worker);
  const posted = await postJson(`${api.url}/schedules`, slowRequest());
  for (let i = 0; ; i++) {
    const { body } = await getJson(`${api.url}/schedules/${posted.body.id}`);
    if (body.status === 'solving') break;
    if (i > 600) throw new Error(`never started solving (${body.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
  worker.kill('SIGTERM');
  expect(await solved).toBe(true);
  expect(await exited).toBe(0);
  const done = await getJson(`${api.url}/schedules/${posted.body.id}`);
  expect(done.body.status).toBe('completed');
}, 120_000);

/** Kills every worker started so far and waits for them to be gone. */
async function killWorkers() {
  for (const w of workers.splice(0)) if (w.exitCode === null && w.signalCode === null) {
    w.kill('SIGKILL');
    await new Promise((r) => w.once('exit', r));
  }
}

it('fails a job for good, with a clear error, once it has started JOB_MAX_STARTS times without finishing', async () => {
  await killWorkers();
  const posted = await postJson(`${api.url}/schedules`, slowRequest());
  const jobKey = `kill:bull:schedules:plan-${posted.body.id}`;
  const probe = new Redis(redis.url);
  const starts = async () => Number((await probe.hget(jobKey, 'ats')) ?? 0);
  // Two starts, each killed mid-solve (as a solve that takes its process down would be).
  for (let k = 1; k <= 2; k++) {
    startWorker();
    for (let i = 0; (await starts()) < k; i++) {
      if (i > 600) throw new Error(`start ${k} never came`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await killWorkers();
  }
  startWorker();
  const done = await waitForSchedule(api.url, posted.body.id, 60_000);
  probe.disconnect();
  expect(done.status).toBe('failed');
  expect(done.error.code).toBe('solve_abandoned');
  expect(done.error.message).toContain('started too often');
}, 120_000);
