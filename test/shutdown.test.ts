import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { start, type Running } from '../src/server.ts';
import { freePort, startRedis, type PrivateRedis } from './helpers/redis.ts';
import { slowRequest } from './helpers/requests.ts';
import { getJson, postJson } from './helpers/service.ts';

const GRACE_MS = 6000;
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

/** The service as the Dockerfile starts it, in its own process; resolves once it listens. */
async function startProcess(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(GRACE_MS), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stderr!.on('data', (d: Buffer) => process.env.DEBUG_SHUTDOWN && process.stderr.write(d));
  child.stdout!.on('data', (d: Buffer) => process.env.DEBUG_SHUTDOWN && process.stderr.write(d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('"started"') && resolve());
    child.once('exit', (code) => reject(new Error(`exited with ${code} before it started`)));
  });
  return child;
}

const exitOf = (child: ChildProcess) => new Promise<{ code: number | null; at: number }>((r) => child.once('exit', (code) => r({ code, at: performance.now() })));

async function untilSolving(base: string, id: string) {
  for (let i = 0; (await getJson(`${base}/schedules/${id}`)).body.status !== 'solving'; i++) {
    if (i > 600) throw new Error('never started solving');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A client that keeps its keep-alive connections busy, noting each answer's Connection header. */
function keepAliveLoad(port: number, path: string, clients: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const answers: { sentAt: number; status: number; connection?: string }[] = [];
  const errors: string[] = [];
  let running = true;
  const once = () =>
    new Promise<void>((resolve) => {
      const sentAt = performance.now();
      const req = http.get({ agent, host: '127.0.0.1', port, path }, (res) => {
        res.resume();
        res.on('end', () => (answers.push({ sentAt, status: res.statusCode!, connection: res.headers.connection }), resolve()));
      });
      req.on('error', (e: NodeJS.ErrnoException) => (errors.push(e.code ?? e.message), setTimeout(resolve, 20)));
    });
  const loops = Array.from({ length: clients }, async () => {
    while (running) await once();
  });
  return { answers, errors, stop: async () => ((running = false), await Promise.all(loops), agent.destroy()) };
}

/** A request whose body trickles in a byte at a time: without a deadline it holds its connection for minutes. */
function slowUpload(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.write('POST /schedules HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{');
  const drip = setInterval(() => socket.write(' '), 200);
  const closed = new Promise<number>((r) => socket.once('close', () => (clearInterval(drip), r(performance.now()))));
  return { closed };
}

/** A request in flight across the signal: its body is sent in two halves, the second when told. */
function requestInFlight(port: number, body: string) {
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (d) => (answer += d));
  socket.on('error', () => {});
  socket.write(`POST /schedules HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
  const closed = new Promise<number>((r) => socket.once('close', () => r(performance.now())));
  return { finish: () => socket.write(body.slice(10)), closed, answer: () => answer };
}

it('on SIGTERM stops accepting, closes idle and busy keep-alive connections, and exits within the grace', async () => {
  const port = await freePort();
  const child = await startProcess('src/main.ts', { PORT: String(port), HOST: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  const { id } = (await postJson(`${base}/schedules`, slowRequest())).body;
  await untilSolving(base, id);

  const idleAgent = new http.Agent({ keepAlive: true });
  const idleSocket = await new Promise<net.Socket>((resolve) => {
    const req = http.get({ agent: idleAgent, host: '127.0.0.1', port, path: '/healthz' }, (res) => (res.resume(), res.on('end', () => resolve(req.socket!))));
  });
  const idleClosed = new Promise<number>((r) => idleSocket.once('close', () => r(performance.now())));
  const load = keepAliveLoad(port, `/schedules/${id}`, 4);
  const upload = slowUpload(port);
  const inFlight = requestInFlight(port, JSON.stringify(slowRequest()));
  await new Promise((r) => setTimeout(r, 500));

  const exited = exitOf(child);
  // Seen through a pipe, the service's own note comes a little after it began closing.
  const closing = new Promise<number>((r) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('"stopping"') && r(performance.now())));
  const signalled = performance.now();
  child.kill('SIGTERM');
  await closing;
  inFlight.finish();
  await new Promise((r) => setTimeout(r, 200));
  const refused = await new Promise<string>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve('accepted')));
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
  const { code, at } = await exited;
  await load.stop();
  idleAgent.destroy();

  const exitMs = Math.round(at - signalled);
  console.info(`SIGTERM under keep-alive load: exit ${code} after ${exitMs} ms (grace ${GRACE_MS}); idle socket closed after ${Math.round((await idleClosed) - signalled)} ms; slow upload cut after ${Math.round((await upload.closed) - signalled)} ms; ${load.answers.length} answers, errors ${JSON.stringify(load.errors.reduce((n: Record<string, number>, e) => ((n[e] = (n[e] ?? 0) + 1), n), {}))}`);
  expect(code).toBe(0);
  expect(exitMs).toBeLessThan(GRACE_MS);
  expect(refused).toBe('ECONNREFUSED');
  expect(await idleClosed).toBeLessThan(at);
  expect(await upload.closed).toBeLessThan(at);
  // The request begun before the signal is answered (no new work taken: 503), told to close, and closed.
  expect(inFlight.answer()).toMatch(/^HTTP\/1\.1 503 [^]*\r\nconnection: close\r\n[^]*"code":"unavailable"/i);
  expect(await inFlight.closed).toBeLessThan(at);
  expect(load.answers.every((a) => a.status === 200)).toBe(true);
  // Sockets closed while idle race the client's next request (ECONNRESET); new ones are refused.
  expect(load.errors.every((e) => e === 'ECONNRESET' || e === 'ECONNREFUSED')).toBe(true);
  // Every answer to a request sent once the service was closing told the client to close.
  const closingAt = await closing;
  expect(load.answers.filter((a) => a.sentAt > closingAt).every((a) => a.connection === 'close')).toBe(true);
  expect(load.answers.filter((a) => a.sentAt < signalled).every((a) => a.connection === 'keep-alive')).toBe(true);
}, 60_000);

it('a worker given SIGTERM mid-solve hands the job back to the queue at once and exits within the grace', async () => {
  const redis: PrivateRedis = await startRedis();
  cleanups.push(() => redis.stop());
  // Locks far longer than the test: only a hand-back, not stalled-job recovery, frees the job in time.
  const env = { REDIS_URL: redis.url, REDIS_PREFIX: 'handback', JOB_LOCK_MS: '120000', JOB_STALLED_INTERVAL_MS: '120000' };
  const api: Running = await start(loadConfig({ ...env, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { api: true, worker: false });
  cleanups.push(() => api.stop());
  const worker = await startProcess('src/worker-main.ts', env);
  // A solve that outlasts the grace: the worker must give it back, not finish it.
  const longSolve = { ...slowRequest(), solver: { timeLimitSeconds: 60, relativeGap: 0, engine: 'highs' } };
  const { id } = (await postJson(`${api.url}/schedules`, longSolve)).body;
  await untilSolving(api.url, id);

  const exited = exitOf(worker);
  const signalled = performance.now();
  worker.kill('SIGTERM');
  const { code, at } = await exited;
  const exitMs = Math.round(at - signalled);

  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue('schedules', { connection, prefix: 'handback:bull' });
  cleanups.push(async () => (await queue.close(), connection.disconnect()));
  const state = await queue.getJobState(`plan-${id}`);
  console.info(`worker SIGTERM mid-solve: exit ${code} after ${exitMs} ms (grace ${GRACE_MS}); job then ${state}`);
  expect(code).toBe(0);
  expect(exitMs).toBeLessThan(GRACE_MS);
  expect(state).toBe('waiting');
  // Not marked failed: the solve was given back, not lost.
  expect((await getJson(`${api.url}/schedules/${id}`)).body.status).not.toBe('failed');
  // The next worker takes it up at once, long before any lock could have expired.
  await startProcess('src/worker-main.ts', env);
  for (let i = 0; (await queue.getJobState(`plan-${id}`)) !== 'active'; i++) {
    if (i > 300) throw new Error('not taken up again after the hand-back');
    await new Promise((r) => setTimeout(r, 100));
  }
  await untilSolving(api.url, id);
}, 120_000);
