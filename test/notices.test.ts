import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../src/server.ts';
import { checkDestination, isInternal } from '../src/notices/destination.ts';
import { verifySignature } from '../src/notices/signature.ts';
import { postPinned } from '../src/notices/delivery.ts';
import { createNotifier, type Notice } from '../src/notices/notifier.ts';
import { MemoryNoticeQueue } from '../src/queue/memory-notices.ts';
import { BullNoticeQueue } from '../src/queue/bull-notices.ts';
import { patientRedis } from '../src/redis-connections.ts';
import type { NoticeQueue } from '../src/ports.ts';
import { MODES } from './helpers/modes.ts';
import { startRedis, type PrivateRedis } from './helpers/redis.ts';
import { slowRequest, smallRequest } from './helpers/requests.ts';
import { postJson, startService, waitForSchedule } from './helpers/service.ts';

/**
 * Completion notices (issue 11) from real solves to a real local receiver, in both modes: signed
 * with the secret over timestamp and body, one delivery id across retries, 410 ends the retries,
 * and destinations outside the allow-list or on private addresses are refused at POST.
 */

const SECRET = randomBytes(32).toString('hex');

interface Received { path: string; headers: Record<string, string | string[] | undefined>; body: string; at: number }

/** A webhook receiver: records every request; `answers[path]` lists the statuses to give, in turn (then 200). */
async function receiver() {
  const received: Received[] = [];
  const answers: Record<string, number[]> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.statusCode = answers[path]?.shift() ?? 200;
      if (res.statusCode >= 300 && res.statusCode < 400) res.setHeader('location', '/elsewhere');
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, answers, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(MODES)('completion notices ($name mode)', ({ name: mode }) => {
  let hook: Awaited<ReturnType<typeof receiver>>;
  let redis: PrivateRedis | undefined;
  let service: Running;
  let base: string;

  beforeAll(async () => {
    hook = await receiver();
    if (mode === 'redis') redis = await startRedis();
    // A generous command timeout: on a loaded machine the default 500 ms answers a POST with 503.
    const redisEnv: Record<string, string> = redis ? { REDIS_URL: redis.url, REDIS_PREFIX: `n${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '5000' } : {};
    service = await startService({
      ...redisEnv,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_URL: `${hook.base}/deployment`,
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_ATTEMPTS: '4',
    });
    base = service.url;
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
    await hook?.close();
  });

  it('a real solve posts a signed notice to its callbackUrl and to WEBHOOK_URL', async () => {
    const posted = await postJson(`${base}/schedules`, { ...smallRequest(), callbackUrl: `${hook.base}/signed` });
    expect(posted.status).toBe(202);
    const done = await waitForSchedule(base, posted.body.id);
    expect(done.status).toBe('completed');
    const mine = await until('the notice', () => hook.received.find((r) => r.path === '/signed'));
    const header = String(mine.headers['x-turnus-signature']);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
    expect(t, header).toBeDefined();
    // The receiver's own check, from the README: HMAC-SHA256 of "<t>.<raw body>", and a fresh t.
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${mine.body}`).digest('hex'));
    expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(300);
    expect(verifySignature(SECRET, mine.body, header)).toBe(true);
    expect(verifySignature(SECRET, mine.body.replace('completed', 'failed'), header)).toBe(false);
    expect(verifySignature('another secret of enough length, really', mine.body, header)).toBe(false);
    expect(String(mine.headers['x-turnus-delivery'])).toMatch(/^[0-9a-f-]{36}$/);
    const notice = JSON.parse(mine.body);
    expect(notice).toEqual({ event: 'schedule.completed', scheduleId: posted.body.id, status: 'completed', version: 1, outcome: done.result.outcome, at: expect.any(String) });
    // WEBHOOK_URL gets the same notice, under a delivery id of its own.
    const deployment = await until('the deployment notice', () => hook.received.find((r) => r.path === '/deployment' && JSON.parse(r.body).scheduleId === posted.body.id));
    expect(JSON.parse(deployment.body)).toEqual(notice);
    expect(deployment.headers['x-turnus-delivery']).not.toBe(mine.headers['x-turnus-delivery']);
  });

  it('each re-plan after sick leave sends a notice of its new version', async () => {
    const posted = await postJson(`${base}/schedules`, { ...smallRequest(), callbackUrl: `${hook.base}/replans` });
    expect(posted.status).toBe(202);
    await waitForSchedule(base, posted.body.id);
    const sick = await postJson(`${base}/schedules/${posted.body.id}/sick-leave`, { assistantId: 'a1', from: '2027-01-05T00:00', to: '2027-01-07T00:00' });
    expect(sick.status).toBe(202);
    const done = await waitForSchedule(base, posted.body.id);
    expect(done.result.version).toBe(2);
    const versions = await until('both notices', () => {
      const got = hook.received.filter((r) => r.path === '/replans').map((r) => JSON.parse(r.body).version);
      return got.length >= 2 ? got : undefined;
    });
    expect(versions.sort()).toEqual([1, 2]);
  });

  it('a job that fails sends schedule.failed with no outcome', async () => {
    // One solve at a time: the second schedule waits behind the slow one, and its cancel fails it before it starts.
    const slow = await postJson(`${base}/schedules`, slowRequest());
    const posted = await postJson(`${base}/schedules`, { ...smallRequest(), callbackUrl: `${hook.base}/failed` });
    expect([slow.status, posted.status]).toEqual([202, 202]);
    expect((await postJson(`${base}/schedules/${posted.body.id}/cancel`, {})).status).toBe(202);
    await postJson(`${base}/schedules/${slow.body.id}/cancel`, {});
    const done = await waitForSchedule(base, posted.body.id);
    expect(done.status).toBe('failed');
    const got = await until('the failure notice', () => hook.received.find((r) => r.path === '/failed'));
    expect(JSON.parse(got.body)).toEqual({ event: 'schedule.failed', scheduleId: posted.body.id, status: 'failed', version: 0, outcome: null, at: expect.any(String) });
    await waitForSchedule(base, slow.body.id);
  });

  it('a receiver answering 500 twice then 200 gets the same delivery id three times, and no fourth', async () => {
    hook.answers['/flaky'] = [500, 500, 200];
    const posted = await postJson(`${base}/schedules`, { ...smallRequest(), callbackUrl: `${hook.base}/flaky` });
    expect(posted.status).toBe(202);
    await waitForSchedule(base, posted.body.id);
    const tries = await until('three tries', () => {
      const got = hook.received.filter((r) => r.path === '/flaky');
      return got.length >= 3 ? got : undefined;
    });
    await sleep(1000); // a fourth try would come within 800 ms (backoff 100, 200, 400)
    const all = hook.received.filter((r) => r.path === '/flaky');
    expect(all).toHaveLength(3);
    expect(new Set(all.map((r) => r.headers['x-turnus-delivery'])).size).toBe(1);
    console.log(`${mode}: retries after ${tries.slice(1).map((r, i) => r.at - tries[i]!.at).join(', ')} ms (backoff 100 ms doubling)`);
  });

  it('410 Gone stops the retries at once', async () => {
    hook.answers['/gone'] = [410, 500, 500];
    const posted = await postJson(`${base}/schedules`, { ...smallRequest(), callbackUrl: `${hook.base}/gone` });
    expect(posted.status).toBe(202);
    await waitForSchedule(base, posted.body.id);
    await until('the first try', () => hook.received.find((r) => r.path === '/gone'));
    await sleep(1000);
    expect(hook.received.filter((r) => r.path === '/gone')).toHaveLength(1);
  });

  it('/metrics counts the deliveries by result: two failed tries, one 410, the rest delivered', async () => {
    const count = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const of = (result: string) => Number(new RegExp(`^turnus_webhook_deliveries_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      return { delivered: of('delivered'), failed: of('failed'), gone: of('gone'), refused: of('refused') };
    };
    // Schedules so far: signed, replans (two versions), failed (and the slow one, WEBHOOK_URL only), flaky, gone;
    // each notice also goes to WEBHOOK_URL.
    const expected = { delivered: 2 + 4 + 3 + 2 + 1, failed: 2, gone: 1, refused: 0 };
    const end = Date.now() + 10_000;
    let seen = await count();
    while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < end) {
      await sleep(100);
      seen = await count();
    }
    expect(seen).toEqual(expected);
  });

  it('a redirect is not followed: it is a failed try like any other', async () => {
    hook.answers['/moved'] = [302, 307, 301, 308];
    const posted = await postJson(`${base}/schedules`, { ...smallRequest(), callbackUrl: `${hook.base}/moved` });
    expect(posted.status).toBe(202);
    await waitForSchedule(base, posted.body.id);
    await until('four tries', () => (hook.received.filter((r) => r.path === '/moved').length >= 4 ? true : undefined));
    await sleep(1000);
    expect(hook.received.filter((r) => r.path === '/moved')).toHaveLength(4); // WEBHOOK_ATTEMPTS
    expect(hook.received.filter((r) => r.path === '/elsewhere')).toHaveLength(0);
  });

  it('a callbackUrl on a host outside WEBHOOK_ALLOWED_HOSTS, or not a URL, answers 400 naming callbackUrl', async () => {
    for (const callbackUrl of ['https://elsewhere.example/hook', 'ftp://127.0.0.1/hook', 'not a url', 42]) {
      const res = await postJson(`${base}/schedules`, { ...smallRequest(), callbackUrl });
      expect(res.status, String(callbackUrl)).toBe(400);
      expect(res.body.error.details.map((d: any) => d.path)).toEqual(['callbackUrl']);
    }
  });
});

describe('webhook destinations are checked', () => {
  let service: Running;
  let off: Running;
  beforeAll(async () => {
    service = await startService({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost,169.254.169.254', WEBHOOK_SECRET: SECRET });
    off = await startService({});
  });
  afterAll(async () => {
    await service?.stop();
    await off?.stop();
  });

  it('a private host without WEBHOOK_ALLOW_PRIVATE answers 400 at POST, also when only its name is allowed', async () => {
    for (const callbackUrl of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://169.254.169.254/latest/meta-data']) {
      const res = await postJson(`${service.url}/schedules`, { ...smallRequest(), callbackUrl });
      expect(res.status, callbackUrl).toBe(400);
      expect(res.body.error.details[0].path).toBe('callbackUrl');
      expect(res.body.error.details[0].message).toMatch(/private|metadata/);
    }
  });

  it('without WEBHOOK_ALLOWED_HOSTS a callbackUrl answers 400 naming callbackUrl', async () => {
    const res = await postJson(`${off.url}/schedules`, { ...smallRequest(), callbackUrl: 'https://portal.example.no/hook' });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ path: 'callbackUrl', message: expect.stringMatching(/off/) }]);
  });

  it('refuses internal and metadata addresses, IPv4 in IPv6 clothing too; the metadata service even with ALLOW_PRIVATE', async () => {
    for (const a of ['10.1.2.3', '127.0.0.1', '169.254.169.254', '172.20.0.1', '192.168.1.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:10.0.0.1', '::ffff:127.0.0.1'])
      expect(isInternal(a), a).toBe(true);
    for (const a of ['8.8.8.8', '151.101.1.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isInternal(a), a).toBe(false);
    for (const url of ['http://169.254.169.254/', 'http://[fd00:ec2::254]/']) {
      const checked = await checkDestination(url, { allowedHosts: ['169.254.169.254', 'fd00:ec2::254'], allowPrivate: true });
      expect(checked.ok, url).toBe(false);
    }
    expect((await checkDestination('http://127.0.0.1:1/', { allowedHosts: ['127.0.0.1'], allowPrivate: true })).ok).toBe(true);
    expect((await checkDestination('https://user:pw@127.0.0.1/', { allowedHosts: ['127.0.0.1'], allowPrivate: true })).ok).toBe(false);
  });

  it('refuses to start with webhooks but no WEBHOOK_SECRET, or a WEBHOOK_URL its allow-list refuses', async () => {
    await expect(startService({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' })).rejects.toThrow(/WEBHOOK_SECRET/);
    await expect(startService({ WEBHOOK_URL: 'https://portal.example.no/hook', WEBHOOK_SECRET: SECRET })).rejects.toThrow(/WEBHOOK_URL/);
  });
});

describe.each(MODES)('a notice queued twice ($name queue)', ({ name: mode }) => {
  let hook: Awaited<ReturnType<typeof receiver>>;
  let redis: PrivateRedis | undefined;
  let connection: ReturnType<typeof patientRedis> | undefined;
  let queue: NoticeQueue;
  const silent = { info() {}, warn() {}, error() {} } as any;

  beforeAll(async () => {
    hook = await receiver();
    const retry = { attempts: 3, backoffMs: 50 };
    if (mode === 'redis') {
      redis = await startRedis();
      connection = patientRedis(redis.url);
      queue = new BullNoticeQueue(connection, { ...retry, prefix: `q${process.pid}`, retention: 100, retentionSeconds: 3600 });
    } else queue = new MemoryNoticeQueue(retry);
  });
  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await redis?.stop();
    await hook?.close();
  });

  it('is delivered once (a job run again after a crash repeats its notice); another occasion is a new delivery', async () => {
    const notifier = createNotifier({ allowedHosts: ['127.0.0.1'], allowPrivate: true, secret: SECRET }, queue, silent);
    notifier.deliver();
    const notice: Notice = { event: 'schedule.completed', scheduleId: '0f6f3d1e-8c7a-4d2b-9e51-3a7c0d9b2f10', status: 'completed', version: 1, outcome: 'optimal', at: new Date().toISOString() };
    await notifier.notify(notice, `${hook.base}/twice`);
    await until('the first delivery', () => hook.received.find((r) => r.path === '/twice'));
    await notifier.notify({ ...notice, at: new Date().toISOString() }, `${hook.base}/twice`);
    await notifier.notify({ ...notice, event: 'schedule.failed', status: 'failed', outcome: null }, `${hook.base}/twice`, '2027-01-05T10:00:00.000Z');
    await until('the failure', () => hook.received.find((r) => r.path === '/twice' && JSON.parse(r.body).status === 'failed'));
    await sleep(500);
    const got = hook.received.filter((r) => r.path === '/twice');
    expect(got.map((r) => JSON.parse(r.body).status)).toEqual(['completed', 'failed']);
    expect(String(got[0]!.headers['x-turnus-delivery'])).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe.each(MODES)('notices of tenants with API keys ($name mode)', ({ name: mode }) => {
  const ADMIN_KEY = randomBytes(32).toString('base64url');
  let hook: Awaited<ReturnType<typeof receiver>>;
  let redis: PrivateRedis | undefined;
  let service: Running;
  const call = async (path: string, key: string, body?: unknown) => {
    const res = await fetch(`${service.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  const keyOf = async (tenantId: string) => (await call('/admin/keys', ADMIN_KEY, { tenantId, scopes: ['read', 'write'] })).body.key as string;

  beforeAll(async () => {
    hook = await receiver();
    if (mode === 'redis') redis = await startRedis();
    service = await startService({
      ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: `nt${process.pid}`, REDIS_COMMAND_TIMEOUT_MS: '5000' } : {}),
      ADMIN_KEY,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_URL: `${hook.base}/operator`,
    });
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
    await hook?.close();
  });

  it('a tenant\'s callback is signed with its own key, which verifies none of another\'s, nor does WEBHOOK_SECRET verify it', async () => {
    const [a, b] = [await keyOf('kommune-a'), await keyOf('kommune-b')];
    const secretA = (await call('/webhooks/secret', a)).body.secret as string;
    const secretB = (await call('/webhooks/secret', b)).body.secret as string;
    expect(secretA).toMatch(/^[0-9a-f]{64}$/);
    expect(secretB).not.toBe(secretA);
    expect(secretA).not.toBe(SECRET);
    const posted = await call('/schedules', a, { ...smallRequest(), callbackUrl: `${hook.base}/tenant-a` });
    expect(posted.status).toBe(202);
    const mine = await until('the tenant\'s notice', () => hook.received.find((r) => r.path === '/tenant-a'));
    const header = String(mine.headers['x-turnus-signature']);
    expect(verifySignature(secretA, mine.body, header)).toBe(true);
    expect(verifySignature(secretB, mine.body, header)).toBe(false);
    expect(verifySignature(SECRET, mine.body, header)).toBe(false);
    // The operator's WEBHOOK_URL gets the same notice signed with WEBHOOK_SECRET.
    const operator = await until('the operator\'s notice', () => hook.received.find((r) => r.path === '/operator' && JSON.parse(r.body).scheduleId === posted.body.id));
    expect(verifySignature(SECRET, operator.body, String(operator.headers['x-turnus-signature']))).toBe(true);
    expect(verifySignature(secretA, operator.body, String(operator.headers['x-turnus-signature']))).toBe(false);
  });
});

describe('the webhook key route without API keys', () => {
  it('answers 404: WEBHOOK_SECRET signs every notice then', async () => {
    const service = await startService({ WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_SECRET: SECRET });
    try {
      const res = await fetch(`${service.url}/webhooks/secret`);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/WEBHOOK_SECRET/);
    } finally {
      await service.stop();
    }
  });
});

describe('a delivery connects to the address its destination was checked at', () => {
  it('not to what the host name resolves to when it connects (no DNS rebinding)', async () => {
    const hook = await receiver();
    try {
      const port = new URL(hook.base).port;
      // `.invalid` never resolves (RFC 2606): only a connection pinned to the checked address reaches the receiver.
      const destination = { url: new URL(`http://rebound.invalid:${port}/pinned`), address: '127.0.0.1', family: 4 as const };
      const delivery = { deliveryId: '00000000-0000-4000-8000-000000000001', url: destination.url.href, body: '{}' };
      const status = await postPinned(destination, delivery, { policy: { allowedHosts: ['rebound.invalid'], allowPrivate: true }, secret: SECRET });
      expect(status).toBe(200);
      const got = hook.received.find((r) => r.path === '/pinned');
      expect(got?.headers.host).toBe(`rebound.invalid:${port}`);
      // And the same host without the pin does not resolve at all.
      await expect(fetch(`http://rebound.invalid:${port}/pinned`)).rejects.toThrow();
    } finally {
      await hook.close();
    }
  });
});
