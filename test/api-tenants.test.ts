import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { start, type Running } from '../src/server.ts';
import { signLink } from '../src/views/links.ts';
import { freePort, startRedis, type PrivateRedis } from './helpers/redis.ts';
import { smallRequest } from './helpers/requests.ts';
import { startService } from './helpers/service.ts';

/**
 * Tenants, API keys and data protection (issue 12) over real HTTP, in both modes: no key 401, a
 * wrong tenant's key 404 on every route that takes an id, a read key 403 on writes, 429 past the
 * limit, expired or altered links 403, the audit log, retention, and the start-up refusals.
 */

const ADMIN_KEY = randomBytes(32).toString('base64url');
const LINK_SECRET = randomBytes(32).toString('base64url');

interface Answer { status: number; headers: Headers; body: any }

async function call(base: string, method: string, path: string, opts: { key?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const res = await fetch(`${base}${path}`, { method, headers, ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, body };
}

async function createKey(base: string, tenantId: string, scopes: string[]): Promise<{ id: string; key: string }> {
  const made = await call(base, 'POST', '/admin/keys', { key: ADMIN_KEY, body: { tenantId, scopes, label: 'test' } });
  expect(made.status).toBe(201);
  expect(made.body.key).toMatch(/^bt_[\w-]{43}$/);
  return made.body;
}

async function completed(base: string, key: string, id: string) {
  for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 150))) {
    const { status, body } = await call(base, 'GET', `/schedules/${id}`, { key });
    if (status !== 200) throw new Error(`schedule ${id} answered ${status}`);
    if (body.status === 'completed' || body.status === 'failed') return body;
  }
  throw new Error(`schedule ${id} did not finish`);
}

const ordning = { timezone: 'Europe/Oslo', rules: { profile: 'aml' }, vedtak: { hoursPerWeek: 100, from: '2027-01-01' }, assistants: [{ id: 'a1', positionPercent: 80 }, { id: 'a2', positionPercent: 60 }, { id: 'a3', positionPercent: 40 }] };

describe.each(['embedded', 'redis'] as const)('tenants and API keys (%s mode)', (mode) => {
  let redis: PrivateRedis | undefined;
  let service: Running;
  let base: string;
  let alice: string;
  let aliceRead: string;
  let bob: string;
  let scheduleId: string;
  const env = () => ({ ADMIN_KEY, LINK_SECRET, RATE_LIMIT_PER_MINUTE: '100000', LINK_RATE_LIMIT_PER_MINUTE: '20', ...(redis ? { REDIS_URL: redis.url, REDIS_PREFIX: `tenants${process.pid}` } : {}) });

  beforeAll(async () => {
    if (mode === 'redis') redis = await startRedis();
    service = await startService(env());
    base = service.url;
    alice = (await createKey(base, 'alice-kommune', ['read', 'write'])).key;
    aliceRead = (await createKey(base, 'alice-kommune', ['read'])).key;
    bob = (await createKey(base, 'bob-bpa', ['write'])).key;
    expect((await call(base, 'PUT', '/ordninger/ord-test', { key: alice, body: ordning })).status).toBe(201);
    expect((await call(base, 'PUT', '/pools/vikarer/assistants/p1', { key: alice, body: { positionPercent: 0, name: 'Per' } })).status).toBe(201);
    const posted = await call(base, 'POST', '/schedules', { key: alice, body: smallRequest({ pool: { id: 'vikarer' } }) });
    expect(posted.status).toBe(202);
    scheduleId = posted.body.id;
    expect((await completed(base, alice, scheduleId)).status).toBe('completed');
  });
  afterAll(async () => {
    await service?.stop();
    await redis?.stop();
  });

  it('answers 401 with WWW-Authenticate without a key or with an unknown one; health and the document stay open', async () => {
    for (const key of [undefined, 'bt_not-a-key']) {
      for (const [method, path] of [['GET', '/schedules'], ['GET', `/schedules/${scheduleId}`], ['POST', '/schedules'], ['GET', `/schedules/${scheduleId}/turnus`]] as const) {
        const answer = await call(base, method, path, { key, ...(method === 'POST' ? { body: smallRequest() } : {}) });
        expect(answer.status, `${method} ${path}`).toBe(401);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(answer.body.error.code).toBe('unauthorized');
      }
    }
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) expect((await call(base, 'GET', path)).status, path).toBe(200);
    // A tenant's key is no admin key, and the admin key is no tenant's.
    expect((await call(base, 'GET', '/admin/audit', { key: alice })).status).toBe(401);
    expect((await call(base, 'GET', '/schedules', { key: ADMIN_KEY })).status).toBe(401);
  });

  it('answers another tenant 404 on every route that takes an id, and lists each tenant only its own', async () => {
    const id = scheduleId;
    const routes: [string, string, unknown?][] = [
      ['GET', `/schedules/${id}`],
      ['GET', `/schedules/${id}/versions/1`],
      ['POST', `/schedules/${id}/sick-leave`, { assistantId: 'a1', from: '2027-01-05T00:00', to: '2027-01-06T00:00' }],
      ['POST', `/schedules/${id}/links`, { scope: 'turnus' }],
      ['GET', `/schedules/${id}/turnus`],
      ['GET', `/schedules/${id}/versions/1/turnus`],
      ['GET', `/schedules/${id}/assistants/a1/calendar.ics`],
      ['GET', `/schedules/${id}/timeliste.csv`],
      ['DELETE', `/schedules/${id}`],
      ['GET', '/pools/vikarer'],
      ['GET', '/ordninger/ord-test'],
      ['GET', '/ordninger/ord-test/timesheet'],
      ['POST', '/ordninger/ord-test/timesheet', { assistantId: 'a1', start: '2027-01-04T08:00', end: '2027-01-04T15:00', kind: 'active' }],
      ['GET', '/ordninger/ord-test/hours?year=2027'],
      ['GET', '/ordninger/ord-test/payroll?year=2027'],
      ['DELETE', '/ordninger/ord-test'],
    ];
    for (const [method, path, body] of routes) {
      const answer = await call(base, method, path, { key: bob, body });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code, `${method} ${path}`).toBe('not_found');
    }
    // Nothing of bob's attempts reached alice's data.
    const mine = await call(base, 'GET', `/schedules/${id}`, { key: alice });
    expect(mine.status).toBe(200);
    expect(mine.body.result.version).toBe(1);
    expect((await call(base, 'GET', '/ordninger/ord-test', { key: alice })).status).toBe(200);
    expect((await call(base, 'GET', '/schedules', { key: bob })).body.items).toEqual([]);
    expect((await call(base, 'GET', '/schedules', { key: alice })).body.items.map((s: any) => s.id)).toContain(id);

    // Pools are shared inside a tenant only: bob's "vikarer" is a pool of his own.
    expect((await call(base, 'PUT', '/pools/vikarer/assistants/b1', { key: bob, body: { positionPercent: 0 } })).status).toBe(201);
    expect((await call(base, 'GET', '/pools/vikarer', { key: bob })).body.members.map((m: any) => m.id)).toEqual(['b1']);
    expect((await call(base, 'GET', '/pools/vikarer', { key: alice })).body.members.map((m: any) => m.id)).toEqual(['p1']);
  });

  it('keeps idempotency keys per tenant', async () => {
    const headers = { 'idempotency-key': `same-${mode}` };
    const a = await call(base, 'POST', '/schedules', { key: alice, body: smallRequest({ ordning: { id: 'idem-a', vedtak: { hoursPerWeek: 100, year: 2027 } } }), headers });
    const b = await call(base, 'POST', '/schedules', { key: bob, body: smallRequest({ ordning: { id: 'idem-b', vedtak: { hoursPerWeek: 100, year: 2027 } } }), headers });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).not.toBe(b.body.id);
    const again = await call(base, 'POST', '/schedules', { key: bob, body: smallRequest({ ordning: { id: 'idem-b', vedtak: { hoursPerWeek: 100, year: 2027 } } }), headers });
    expect(again.body.id).toBe(b.body.id);
    // Bob's plan ran as bob: its record is his, and he can read the result.
    expect((await completed(base, bob, b.body.id)).status).toBe('completed');
    expect((await call(base, 'GET', `/schedules/${b.body.id}`, { key: alice })).status).toBe(404);
  });

  it('answers a read key 403 on every write, and lets it read', async () => {
    const writes: [string, string, unknown?][] = [
      ['POST', '/schedules', smallRequest()],
      ['POST', `/schedules/${scheduleId}/sick-leave`, { assistantId: 'a1', from: '2027-01-05T00:00', to: '2027-01-06T00:00' }],
      ['POST', `/schedules/${scheduleId}/links`, { scope: 'turnus' }],
      ['DELETE', `/schedules/${scheduleId}`],
      ['PUT', '/pools/vikarer/assistants/p2', { positionPercent: 0 }],
      ['PUT', '/ordninger/ord-test', ordning],
      ['DELETE', '/ordninger/ord-test'],
    ];
    for (const [method, path, body] of writes) {
      const answer = await call(base, method, path, { key: aliceRead, body });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.error.message).toMatch(/read/);
    }
    expect((await call(base, 'GET', `/schedules/${scheduleId}`, { key: aliceRead })).status).toBe(200);
    expect((await call(base, 'GET', '/pools/vikarer', { key: aliceRead })).body.members).toHaveLength(1);
  });

  it('opens a view with a valid signed link and no key; an expired, altered or other schedule\'s link answers 403', async () => {
    const link = await call(base, 'POST', `/schedules/${scheduleId}/links`, { key: alice, body: { scope: 'calendar', assistantId: 'a1' } });
    expect(link.status).toBe(201);
    const url = new URL(link.body.url);
    const path = `${url.pathname}${url.search}`;
    expect((await call(base, 'GET', path)).status).toBe(200);
    const token = url.searchParams.get('token')!;
    const altered = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    expect((await call(base, 'GET', `${url.pathname}?token=${altered}`)).status).toBe(403);
    const expired = signLink(LINK_SECRET, { scheduleId, scope: 'calendar', assistantId: 'a1' }, Math.floor(Date.now() / 1000) - 60, 0);
    const refused = await call(base, 'GET', `${url.pathname}?token=${expired}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/expired/);
    // The token grants this view only: the turnus page, or another schedule, needs its own.
    expect((await call(base, 'GET', `/schedules/${scheduleId}/turnus?token=${token}`)).status).toBe(403);
  });

  it('answers 429 past the limit of the views a signed link opens, counted per schedule, apart from the keys', async () => {
    const link = await call(base, 'POST', `/schedules/${scheduleId}/links`, { key: alice, body: { scope: 'calendar', assistantId: 'a2' } });
    const url = new URL(link.body.url);
    const answers: Answer[] = [];
    // 45 at a limit of 20: however a minute's turn splits them, one side is past the limit.
    for (let i = 0; i < 45; i++) answers.push(await call(base, 'GET', `${url.pathname}${url.search}`));
    expect(answers[0]!.status).toBe(200);
    const over = answers.find((a) => a.status === 429)!;
    expect(over).toBeDefined();
    expect(over.body.error.code).toBe('rate_limited');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    // The key's own count is another.
    expect((await call(base, 'GET', `/schedules/${scheduleId}`, { key: alice })).status).toBe(200);
  });

  it('answers 429 with Retry-After past the limit per key (shared by every process in Redis mode)', async () => {
    const limited = await startService({ ...env(), RATE_LIMIT_PER_MINUTE: '5' });
    const other = mode === 'redis' ? await startService({ ...env(), RATE_LIMIT_PER_MINUTE: '5' }) : limited;
    try {
      const { key } = await createKey(limited.url, 'carol', ['read']);
      const { key: dave } = await createKey(limited.url, 'dave', ['read']);
      const answers: Answer[] = [];
      for (let i = 0; i < 12; i++) answers.push(await call(i % 2 ? other.url : limited.url, 'GET', '/schedules', { key }));
      // The first 5 of a fresh key always pass; the 6th is refused, unless the minute's window
      // turned over meanwhile and the count began again (then one of the next few is).
      expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      const over = answers.find((a) => a.status === 429)!;
      expect(over).toBeDefined();
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(over.body.error.code).toBe('rate_limited');
      // Another key has its own count.
      expect((await call(limited.url, 'GET', '/schedules', { key: dave })).status).toBe(200);
    } finally {
      if (other !== limited) await other.stop();
      await limited.stop();
    }
  });

  it('records create, re-plan, delete and key changes in the audit log, never a body', async () => {
    const posted = await call(base, 'POST', '/schedules', { key: alice, body: smallRequest() });
    await completed(base, alice, posted.body.id);
    expect((await call(base, 'POST', `/schedules/${posted.body.id}/sick-leave`, { key: alice, body: { assistantId: 'a2', from: '2027-01-05T00:00', to: '2027-01-06T00:00' } })).status).toBe(202);
    await completed(base, alice, posted.body.id);
    expect((await call(base, 'DELETE', `/schedules/${posted.body.id}`, { key: alice })).status).toBe(204);
    const temp = await createKey(base, 'alice-kommune', ['read']);
    expect((await call(base, 'DELETE', `/admin/keys/${temp.id}`, { key: ADMIN_KEY })).status).toBe(204);
    expect((await call(base, 'DELETE', `/admin/keys/${temp.id}`, { key: ADMIN_KEY })).status).toBe(404);
    expect((await call(base, 'GET', '/schedules', { key: temp.key })).status).toBe(401); // revoked at once

    const log = await call(base, 'GET', '/admin/audit?tenantId=alice-kommune&limit=500', { key: ADMIN_KEY });
    expect(log.status).toBe(200);
    const about = (target: string) => log.body.items.filter((e: any) => e.targetId === target).map((e: any) => e.action);
    expect(about(posted.body.id)).toEqual(['schedule.delete', 'schedule.replan', 'schedule.create']);
    expect(about(temp.id)).toEqual(['key.revoke', 'key.create']);
    for (const entry of log.body.items) {
      expect(Object.keys(entry).sort()).toEqual(['action', 'at', 'keyId', 'targetId', 'tenantId']);
      expect(entry.tenantId).toBe('alice-kommune');
    }
    expect(log.body.items.find((e: any) => e.action === 'schedule.create').keyId).toMatch(/^k_/);
    expect(log.body.items.find((e: any) => e.action === 'key.create').keyId).toBe('admin');
    // Pages follow the cursor, newest first.
    const first = await call(base, 'GET', '/admin/audit?tenantId=alice-kommune&limit=2', { key: ADMIN_KEY });
    const second = await call(base, 'GET', `/admin/audit?tenantId=alice-kommune&limit=2&cursor=${first.body.nextCursor}`, { key: ADMIN_KEY });
    expect([...first.body.items, ...second.body.items]).toEqual(log.body.items.slice(0, 4));
    expect((await call(base, 'GET', '/admin/audit?cursor=x', { key: ADMIN_KEY })).body.error.details[0].path).toBe('cursor');
    expect((await call(base, 'POST', '/admin/keys', { key: ADMIN_KEY, body: { tenantId: 'local', scopes: ['read'] } })).body.error.details[0].path).toBe('tenantId');
  });
});

describe('retention', () => {
  it('Redis: a schedule past its retention is gone, every key of it and every index entry', async () => {
    // Long enough for a plan and a re-plan to finish within it on a busy machine.
    const RETENTION = 25;
    const redis = await startRedis();
    const prefix = `ret${process.pid}`;
    const service = await startService({ ADMIN_KEY, REDIS_URL: redis.url, REDIS_PREFIX: prefix, RETENTION_SECONDS: String(RETENTION) });
    const client = new Redis(redis.url);
    const keysOf = async (id: string) => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        found.push(...keys.filter((k) => k.includes(id)));
        cursor = next;
      } while (cursor !== '0');
      return found;
    };
    try {
      const { key } = await createKey(service.url, 'erin', ['write']);
      const posted = await call(service.url, 'POST', '/schedules', { key, body: smallRequest(), headers: { 'idempotency-key': 'ret-1' } });
      const id = posted.body.id as string;
      await completed(service.url, key, id);
      expect((await call(service.url, 'POST', `/schedules/${id}/sick-leave`, { key, body: { assistantId: 'a1', from: '2027-01-05T00:00', to: '2027-01-06T00:00' } })).status).toBe(202);
      expect((await call(service.url, 'POST', `/schedules/${id}/links`, { key, body: { scope: 'turnus', revokeEarlier: true } })).status).toBe(201);
      const done = await completed(service.url, key, id);
      expect(done.result.version).toBe(2);
      const before = await keysOf(id);
      expect(before.length).toBeGreaterThanOrEqual(5);
      for (const k of before.filter((k) => k.includes(':store:'))) expect(await client.pttl(k), k).toBeGreaterThan(0);
      // The schedule's keys expire RETENTION after its creation; its finished jobs RETENTION after
      // they finished (the re-plan's, last, at updatedAt), removed when a later job ends.
      await new Promise((r) => setTimeout(r, Date.parse(done.updatedAt) + RETENTION * 1000 + 500 - Date.now()));
      // Another schedule comes and finishes: its create prunes the indexes, its job's end the old jobs.
      const later = await call(service.url, 'POST', '/schedules', { key, body: smallRequest() });
      await completed(service.url, key, later.body.id);
      expect(await keysOf(id)).toEqual([]);
      for (const index of ['idx:created', 'idx:tenant:erin', 'idx:ordning:ord-test']) expect(await client.zscore(`${prefix}:store:${index}`, id), index).toBeNull();
      expect(await client.exists(`${prefix}:store:idem:erin/ret-1`)).toBe(0);
      expect((await call(service.url, 'GET', `/schedules/${id}`, { key })).status).toBe(404);
    } finally {
      client.disconnect();
      await service.stop();
      await redis.stop();
    }
  }, 180_000);

  it('embedded: the store holds at most MAX_SCHEDULES_IN_MEMORY, evicting the oldest finished first', async () => {
    const service = await startService({ MAX_SCHEDULES_IN_MEMORY: '2' });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const posted = await call(service.url, 'POST', '/schedules', { body: smallRequest() });
        ids.push(posted.body.id);
        await completed(service.url, '', posted.body.id);
      }
      const statuses = await Promise.all(ids.map(async (id) => (await call(service.url, 'GET', `/schedules/${id}`)).status));
      expect(statuses).toEqual([404, 200, 200]);
    } finally {
      await service.stop();
    }
  });
});

describe('start-up without keys', () => {
  const run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { PATH: process.env.PATH!, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stderr }));
    });

  it('refuses to listen on 0.0.0.0, and to run in Redis mode, without keys, saying how to create one', async () => {
    const port = String(await freePort());
    for (const env of [{ HOST: '0.0.0.0', PORT: port }, { REDIS_URL: 'redis://127.0.0.1:1', PORT: port }] as Record<string, string>[]) {
      const { code, stderr } = await run(env);
      expect(code, JSON.stringify(env)).toBe(78);
      expect(stderr).toMatch(/refusing to start (bound to 0\.0\.0\.0|in Redis mode) without API keys/);
      expect(stderr).toMatch(/Set ADMIN_KEY/);
      expect(stderr).toMatch(/curl -X POST http:\/\/<host>:\d+\/admin\/keys -H "Authorization: Bearer \$ADMIN_KEY"/);
    }
  });

  it('creates ADMIN_KEY_FILE with a random key readable by its owner only, and takes the admin key from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bpa-admin-'));
    const file = join(dir, 'admin.key');
    const service = await startService({ ADMIN_KEY_FILE: file });
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const adminKey = readFileSync(file, 'utf8').trim();
      expect(adminKey).toMatch(/^bt_[\w-]{43}$/);
      expect((await call(service.url, 'GET', '/schedules')).status).toBe(401);
      const made = await call(service.url, 'POST', '/admin/keys', { key: adminKey, body: { tenantId: 'filed', scopes: ['read'] } });
      expect(made.status).toBe(201);
      expect((await call(service.url, 'GET', '/schedules', { key: made.body.key })).status).toBe(200);
    } finally {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('listens on localhost only by default, and on every address once keys are on', async () => {
    const open = await start(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), { api: true, worker: false });
    const keyed = await start(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ADMIN_KEY }), { api: true, worker: false });
    try {
      expect(new URL(open.url).hostname).toBe('127.0.0.1');
      expect(new URL(keyed.url).hostname).toBe('0.0.0.0');
    } finally {
      await Promise.all([open.stop(), keyed.stop()]);
    }
  });
});
