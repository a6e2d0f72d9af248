import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODES, serviceIn } from './helpers/modes.ts';
import { slowRequest, smallRequest } from './helpers/requests.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';
import { OPERATIONS, openApiDocument } from '../src/http/openapi.ts';
import { loadConfig } from '../src/config.ts';
import { start } from '../src/server.ts';
import { freePort, startRedis } from './helpers/redis.ts';
import { Metrics } from '../src/metrics.ts';
import { MemoryQueue } from '../src/queue/memory.ts';

/** The answer's status is documented for the operation, with the media type it came in. */
function documented(method: string, path: string, status: number, type: string) {
  const op = OPERATIONS.find((o) => o.method === method && o.path === path);
  expect(op, `${method} ${path}`).toBeDefined();
  const doc = (openApiDocument('test').paths as any)[path][method].responses[String(status)];
  expect(doc, `${method} ${path} ${status} is documented`).toBeDefined();
  expect(Object.keys(doc.content ?? {}), `${method} ${path} ${status}`).toContain(type.split(';')[0]);
}

/**
 * Live events, metrics and the queue dashboard (issue 11) over real HTTP in both modes: an event
 * stream follows a real solve to its end, /metrics is scraped and read against what happened, and
 * with ADMIN_KEY set /metrics and /admin/queues need the admin key while events stay per tenant.
 */

interface SseEvent { event: string; data: any }

/** Reads a server-sent event stream until it ends; comments are counted, not kept. */
async function readEvents(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; events: SseEvent[]; comments: number }> {
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers } });
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok) return { status: res.status, type, events: [], comments: 0 };
  const text = await res.text(); // the stream ends after its `done` event
  const events: SseEvent[] = [];
  let comments = 0;
  for (const block of text.split('\n\n').filter(Boolean)) {
    if (block.startsWith(':')) {
      comments++;
      continue;
    }
    const field = (name: string) => block.split('\n').find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();
    events.push({ event: field('event') ?? 'message', data: JSON.parse(field('data') ?? 'null') });
  }
  return { status: res.status, type, events, comments };
}

interface Sample { name: string; labels: Record<string, string>; value: number }

/** The Prometheus text format, sample lines only. */
function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((n, s) => n + s.value, 0);

describe.each(MODES)('events and metrics ($name mode)', ({ name: mode }) => {
  // A generous Redis command timeout: on a loaded machine the default 500 ms answers a POST with 503.
  const running = serviceIn(mode, { EVENTS_HEARTBEAT_MS: '300', REDIS_COMMAND_TIMEOUT_MS: '5000' });

  it('/metrics, scraped after one completed job, shows that job, its plan and the requests by route pattern', async () => {
    const { base } = running;
    const posted = await postJson(`${base}/schedules`, smallRequest());
    expect(posted.status).toBe(202);
    const done = await waitForSchedule(base, posted.body.id);
    expect(done.status).toBe('completed');
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    documented('get', '/metrics', 200, res.headers.get('content-type')!);
    const text = await res.text();
    const samples = parseMetrics(text);
    expect(value(samples, 'turnus_jobs_ended_total', { kind: 'plan', status: 'completed' })).toBe(1);
    expect(value(samples, 'turnus_jobs_ended_total', { status: 'failed' })).toBe(0);
    expect(value(samples, 'turnus_plan_outcomes_total')).toBe(1);
    expect(value(samples, 'turnus_plan_outcomes_total', { outcome: done.result.outcome })).toBe(1);
    expect(value(samples, 'turnus_solve_seconds_count', { kind: 'plan' })).toBe(1);
    const filled = done.result.shifts.reduce((n: number, s: any) => n + s.assistantIds.length, 0);
    const missing = done.result.unfilled.reduce((n: number, u: any) => n + u.missing, 0);
    expect(value(samples, 'turnus_plan_coverage_ratio_count')).toBe(1);
    expect(value(samples, 'turnus_plan_coverage_ratio_sum')).toBeCloseTo(filled / (filled + missing), 6);
    expect(value(samples, 'turnus_queue_jobs', { state: 'completed' })).toBe(1);
    expect(value(samples, 'turnus_queue_jobs', { state: 'active' })).toBe(0);
    expect(value(samples, 'turnus_queue_depth')).toBe(0);
    expect(value(samples, 'turnus_http_request_duration_seconds_count', { method: 'POST', route: '/schedules', status: '202' })).toBe(1);
    expect(value(samples, 'turnus_http_request_duration_seconds_count', { method: 'GET', route: '/schedules/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    // Route patterns only: no schedule id in any label.
    expect(text).not.toContain(posted.body.id);
    console.log(`${mode}: solve ${value(samples, 'turnus_solve_seconds_sum').toFixed(2)} s, coverage ${(filled / (filled + missing)).toFixed(3)}, ${samples.length} samples`);
  });

  it('an event stream follows a real solve: status, progress, heartbeats, and a final done', async () => {
    const { base } = running;
    const posted = await postJson(`${base}/schedules`, slowRequest());
    expect(posted.status).toBe(202);
    const started = Date.now();
    const stream = await readEvents(`${base}/schedules/${posted.body.id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.type).toMatch(/^text\/event-stream/);
    documented('get', '/schedules/{id}/events', 200, stream.type);
    const names = stream.events.map((e) => e.event);
    expect(names[0]).toBe('status');
    expect(names).toContain('progress');
    expect(names.at(-1)).toBe('done');
    expect(stream.events.at(-1)!.data).toEqual({ status: 'completed', version: 1 });
    for (const p of stream.events.filter((e) => e.event === 'progress')) {
      expect(p.data.fraction).toBeGreaterThanOrEqual(0);
      expect(p.data.fraction).toBeLessThanOrEqual(1);
      expect(typeof p.data.phase).toBe('string');
    }
    expect(stream.comments).toBeGreaterThan(0); // the solve runs seconds; a heartbeat every 300 ms
    const stored = (await getJson(`${base}/schedules/${posted.body.id}`)).body;
    expect(stored.status).toBe('completed');
    console.log(`${mode}: ${names.filter((n) => n === 'progress').length} progress events, ${stream.comments} heartbeats over ${Date.now() - started} ms`);
  });

  it('a finished schedule\'s stream sends its status and done at once; an unknown id answers 404', async () => {
    const { base } = running;
    const posted = await postJson(`${base}/schedules`, smallRequest());
    expect(posted.status).toBe(202);
    await waitForSchedule(base, posted.body.id);
    const stream = await readEvents(`${base}/schedules/${posted.body.id}/events`);
    expect(stream.events.map((e) => e.event)).toEqual(['status', 'done']);
    const unknown = await readEvents(`${base}/schedules/00000000-0000-4000-8000-000000000000/events`);
    expect(unknown.status).toBe(404);
    documented('get', '/schedules/{id}/events', 404, unknown.type);
    expect((await readEvents(`${base}/schedules/not-an-id/events`)).status).toBe(404);
  });

  it(mode === 'embedded' ? '/admin/queues answers 404 with a message in embedded mode' : '/admin/queues without ADMIN_KEY: the admin routes are off (403)', async () => {
    const res = await fetch(`${running.base}/admin/queues`);
    const body = (await res.json()) as any;
    if (mode === 'embedded') documented('get', '/admin/queues', 404, res.headers.get('content-type')!);
    if (mode === 'embedded') {
      expect(res.status).toBe(404);
      expect(body.error.message).toMatch(/Redis mode only/);
    } else {
      expect(res.status).toBe(403);
      expect(body.error.code).toBe('admin_disabled');
    }
  });
});

const ADMIN_KEY = randomBytes(32).toString('base64url');

describe.each(MODES)('with ADMIN_KEY set ($name mode)', ({ name: mode }) => {
  const running = serviceIn(mode, { ADMIN_KEY, REDIS_COMMAND_TIMEOUT_MS: '5000' });
  const keys: Record<string, string> = {};
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    for (const tenantId of ['tenant-a', 'tenant-b']) {
      const made = await postJson(`${running.base}/admin/keys`, { tenantId, scopes: ['write'] }, auth(ADMIN_KEY));
      expect(made.status).toBe(201);
      keys[tenantId] = made.body.key;
    }
  });

  it('/metrics needs the admin key: none or a tenant\'s key answers 401', async () => {
    expect((await fetch(`${running.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${running.base}/metrics`, { headers: auth(keys['tenant-a']!) })).status).toBe(401);
    const res = await fetch(`${running.base}/metrics`, { headers: auth(ADMIN_KEY) });
    expect(res.status).toBe(200);
    expect(parseMetrics(await res.text()).some((s) => s.name === 'turnus_queue_depth')).toBe(true);
  });

  it(mode === 'redis' ? '/admin/queues serves Bull Board with the admin key only, showing both queues' : '/admin/queues answers 404 in embedded mode', async () => {
    const base = running.base;
    if (mode === 'embedded') {
      expect((await fetch(`${base}/admin/queues`, { headers: auth(ADMIN_KEY) })).status).toBe(404);
      return;
    }
    for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: auth(keys['tenant-a']!) })).status, path).toBe(401);
    }
    const page = await fetch(`${base}/admin/queues`, { headers: auth(ADMIN_KEY) });
    expect(page.status).toBe(200);
    documented('get', '/admin/queues', 200, page.headers.get('content-type')!);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers: auth(ADMIN_KEY) });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as any).queues.map((q: any) => q.name).sort();
    expect(names).toEqual(['notices', 'schedules']);
  });

  it('events are tenant-scoped: another tenant\'s schedule answers 404, the owner\'s streams to done', async () => {
    const base = running.base;
    const posted = await postJson(`${base}/schedules`, smallRequest(), auth(keys['tenant-a']!));
    expect(posted.status).toBe(202);
    expect((await readEvents(`${base}/schedules/${posted.body.id}/events`, auth(keys['tenant-b']!))).status).toBe(404);
    expect((await readEvents(`${base}/schedules/${posted.body.id}/events`)).status).toBe(401);
    const own = await readEvents(`${base}/schedules/${posted.body.id}/events`, auth(keys['tenant-a']!));
    expect(own.status).toBe(200);
    expect(own.events.at(-1)).toEqual({ event: 'done', data: { status: 'completed', version: 1 } });
  });
});


describe('an open event stream at shutdown', () => {
  it('ends when the service stops, without waiting for its schedule to finish', async () => {
    const service = await startService({ SHUTDOWN_GRACE_MS: '20000' });
    const posted = await postJson(`${service.url}/schedules`, slowRequest());
    const res = await fetch(`${service.url}/schedules/${posted.body.id}/events`);
    const reader = res.body!.getReader();
    const first = await reader.read(); // the stream is open: its first event has come
    expect(new TextDecoder().decode(first.value)).toContain('event: status');
    const stopped = service.stop();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    // It ended for the shutdown, not because the solve came to an end (that would send `done`).
    expect(rest).not.toContain('event: done');
    await stopped;
  });
});

describe('a worker process (npm run worker) with METRICS_PORT', () => {
  it('serves the figures of the jobs it ran itself; the API counts the queue', async () => {
    const redis = await startRedis();
    const metricsPort = await freePort();
    const env = { REDIS_URL: redis.url, REDIS_PREFIX: `wm${process.pid}`, LOG_LEVEL: 'silent' };
    const api = await start(loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }), { api: true, worker: false });
    const worker = spawn(process.execPath, ['--import', 'tsx', 'src/worker-main.ts'], { env: { ...process.env, ...env, METRICS_PORT: String(metricsPort) }, stdio: 'ignore' });
    try {
      const posted = await postJson(`${api.url}/schedules`, smallRequest());
      expect(posted.status).toBe(202);
      expect((await waitForSchedule(api.url, posted.body.id)).status).toBe('completed');
      const scrape = async (base: string) => parseMetrics(await (await fetch(`${base}/metrics`)).text());
      const mine = await scrape(`http://127.0.0.1:${metricsPort}`);
      expect(value(mine, 'turnus_jobs_ended_total', { kind: 'plan', status: 'completed' })).toBe(1);
      expect(value(mine, 'turnus_solve_seconds_count', { kind: 'plan' })).toBe(1);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
      const theirs = await scrape(api.url);
      expect(value(theirs, 'turnus_jobs_ended_total')).toBe(0);
      expect(value(theirs, 'turnus_queue_jobs', { state: 'completed' })).toBe(1);
    } finally {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.once('exit', r));
      await api.stop();
      await redis.stop();
    }
  }, 60_000);
});

describe('a scrape of /metrics', () => {
  it('reads the queue\'s counts once for both queue gauges, and afresh on the next scrape', async () => {
    const queue = new MemoryQueue();
    let reads = 0;
    const counts = queue.counts.bind(queue);
    queue.counts = () => (reads++, counts());
    const metrics = new Metrics(queue);
    const first = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(first).toMatch(/turnus_queue_depth 0/);
    expect(first).toMatch(/turnus_queue_jobs\{state="waiting"\} 0/);
    await metrics.registry.metrics();
    expect(reads).toBe(2);
  });
});
