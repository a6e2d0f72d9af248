import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { ScheduleListSchema, ScheduleViewSchema } from '../src/http/schemas.ts';
import { OPERATIONS } from '../src/http/openapi.ts';
import { MemoryOrdningStore } from '../src/ordning/memory.ts';
import { MemoryPool } from '../src/pool/memory.ts';
import { MemoryQueue } from '../src/queue/memory.ts';
import { MemoryStore } from '../src/store/memory.ts';
import type { Running } from '../src/server.ts';
import { smallRequest } from './helpers/requests.ts';
import { getJson, postJson, startService, waitForSchedule } from './helpers/service.ts';

/**
 * A real answer read against its operation in OPERATIONS: its status is documented, a JSON body
 * parses to itself under the documented zod schema (nothing undocumented, nothing missing), and a
 * text body comes with the documented media type.
 */
async function conforms(method: string, path: string, res: Response): Promise<any> {
  const op = OPERATIONS.find((o) => o.method === method && o.path === path);
  expect(op, `${method} ${path} is documented`).toBeDefined();
  const documented = op!.responses[res.status as keyof NonNullable<typeof op>["responses"]];
  expect(documented, `${method} ${path} answers ${res.status}, which is documented`).toBeDefined();
  const type = res.headers.get('content-type') ?? '';
  if (documented!.text) {
    expect(type.split(';')[0], `${method} ${path} ${res.status}`).toBe(documented!.text.media);
    return res.text();
  }
  if (!documented!.schema) return null;
  expect(type).toMatch(/^application\/json/);
  const body = await res.json();
  expect(documented!.schema.parse(body), `${method} ${path} ${res.status}`).toEqual(body);
  return body;
}
const send = (url: string, method: string, body?: unknown) =>
  fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });

const root = join(import.meta.dirname, '..');
let service: Running;
let doc: any;
const dir = mkdtempSync(join(tmpdir(), 'bpa-openapi-'));

beforeAll(async () => {
  service = await startService({});
  doc = (await getJson(`${service.url}/openapi.json`)).body;
});
afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the OpenAPI document', () => {
  it('passes the Redocly linter\'s recommended rules with no error', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: join(dir, 'openapi.json'), config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
  });

  it('describes every route of the app, with its path parameters, an operationId, a tag and an error shape', () => {
    const app = createApp({ store: new MemoryStore(), pool: new MemoryPool(), ordninger: new MemoryOrdningStore(), queue: new MemoryQueue(), log: { info() {}, warn() {}, error() {} } as any, bodyLimitBytes: 1000 });
    const routes = app.routes.filter((r) => r.method !== 'ALL' && r.path !== '/*').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect([...new Set(routes)].sort()).toEqual(documented.sort());
    expect(new Set(routes).size).toBeGreaterThanOrEqual(OPERATIONS.length);
    for (const [path, ops] of Object.entries(doc.paths) as [string, any][]) {
      const declared = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops) as any[]) {
        expect(op.operationId).toMatch(/^\w+$/);
        expect(op.tags).toHaveLength(1);
        expect((op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name)).toEqual(declared);
        for (const [status, res] of Object.entries(op.responses) as [string, any][])
          if (Number(status) >= 400) expect(res.content['application/json'].schema.$ref, `${path} ${status}`).toBe('#/components/schemas/Error');
      }
    }
    expect(doc.components.schemas.Error.properties.error.properties.details).toBeDefined();
    expect(doc.paths['/schedules'].post.requestBody.content['application/json'].example.assistants[0].name).toBe('Kari');
  });
});

describe('the merged routes answer as documented', () => {
  it('ordninger, timesheet, hour bank and payroll: each answer matches its documented schema or media type', async () => {
    const base = `${service.url}/ordninger/ord-openapi`;
    const ordning = { vedtak: { hoursPerWeek: 40, from: '2027-01-01' }, assistants: [{ id: 'a1', positionPercent: 60, name: 'Kari' }, { id: 'a2', positionPercent: 40 }] };
    const created = await send(base, 'PUT', ordning);
    expect(created.status).toBe(201);
    expect((await conforms('put', '/ordninger/{id}', created)).rules.profile).toBe('aml');
    expect(await conforms('get', '/ordninger/{id}', await fetch(base))).toMatchObject({ id: 'ord-openapi', timezone: 'Europe/Oslo' });

    const entry = { assistantId: 'a1', start: '2027-01-04T07:00', end: '2027-01-04T15:00' };
    const added = await send(`${base}/timesheet`, 'POST', entry);
    expect(added.status).toBe(201);
    const stored = await conforms('post', '/ordninger/{id}/timesheet', added);
    const clash = await send(`${base}/timesheet`, 'POST', { ...entry, start: '2027-01-04T14:00', end: '2027-01-04T18:00' });
    expect(clash.status).toBe(409);
    expect((await conforms('post', '/ordninger/{id}/timesheet', clash)).error.overlaps[0].existing.id).toBe(stored.id);
    const corrected = await send(`${base}/timesheet/${stored.id}`, 'PUT', { ...entry, end: '2027-01-04T16:00', changedBy: 'arbeidsleder' });
    expect(corrected.status).toBe(200);
    expect((await conforms('put', '/ordninger/{id}/timesheet/{entryId}', corrected)).history).toHaveLength(1);
    expect((await conforms('get', '/ordninger/{id}/timesheet', await fetch(`${base}/timesheet?year=2027`))).entries).toHaveLength(1);

    const bank = await fetch(`${base}/hours?year=2027&asOf=2027-01-10`);
    expect(bank.status).toBe(200);
    expect((await conforms('get', '/ordninger/{id}/hours', bank)).yearToDate.workedHours).toBe(9);
    const noYear = await fetch(`${base}/hours`);
    expect(noYear.status).toBe(400);
    await conforms('get', '/ordninger/{id}/hours', noYear);
    const payroll = await fetch(`${base}/payroll?year=2027`);
    expect(payroll.status).toBe(200);
    expect(await conforms('get', '/ordninger/{id}/payroll', payroll)).toContain('a1,2027-01-04,07:00,16:00');
    expect((await send(base, 'DELETE')).status).toBe(204);
    const gone = await fetch(base);
    expect(gone.status).toBe(404);
    await conforms('get', '/ordninger/{id}', gone);
  });

  it('views and links: HTML, iCalendar and CSV as documented; a signed link answers, an altered one is refused with 403', async () => {
    const posted = await postJson(`${service.url}/schedules`, smallRequest());
    expect((await waitForSchedule(service.url, posted.body.id)).status).toBe('completed');
    const base = `${service.url}/schedules/${posted.body.id}`;
    const link = await send(`${base}/links`, 'POST', { scope: 'calendar', assistantId: 'a1' });
    expect(link.status).toBe(201);
    const { url } = await conforms('post', '/schedules/{id}/links', link);
    expect(await conforms('get', '/schedules/{id}/assistants/{assistantId}/calendar.ics', await fetch(url))).toContain('BEGIN:VCALENDAR');
    const altered = await fetch(`${url}x`);
    expect(altered.status).toBe(403);
    await conforms('get', '/schedules/{id}/assistants/{assistantId}/calendar.ics', altered);
    expect(await conforms('get', '/schedules/{id}/turnus', await fetch(`${base}/turnus?lang=en`))).toContain('<html');
    expect(await conforms('get', '/schedules/{id}/versions/{n}/turnus', await fetch(`${base}/versions/1/turnus`))).toContain('<html');
    const badLang = await fetch(`${base}/turnus?lang=de`);
    expect(badLang.status).toBe(400);
    await conforms('get', '/schedules/{id}/turnus', badLang);
    expect(await conforms('get', '/schedules/{id}/timeliste.csv', await fetch(`${base}/timeliste.csv?lang=en`))).toContain('date,assistant_id');
  });

  it('POST /schedules answers a model past the service\'s limits with the documented 422 too_large', async () => {
    const ALL = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    const big = smallRequest({
      period: { start: '2027-01-04', weeks: 12 },
      needs: ['07:00', '15:00', '23:00'].map((start, i) => ({ id: `n${i}`, days: [...ALL], start, end: ['15:00', '23:00', '07:00'][i]! })),
      assistants: Array.from({ length: 30 }, (_, i) => ({ id: `a${i + 1}`, positionPercent: 50 })),
      solver: { timeLimitSeconds: 1, relativeGap: 0.01, engine: 'highs' },
    });
    const res = await send(`${service.url}/schedules`, 'POST', big);
    expect(res.status).toBe(422);
    expect((await conforms('post', '/schedules', res)).error.code).toBe('too_large');
  });
});

describe('the docs page', () => {
  it('serves an HTML reader of /openapi.json at /docs', async () => {
    const res = await fetch(`${service.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await conforms('get', '/docs', res)).toContain('/openapi.json');
  });
});

describe('a client generated from the document', () => {
  it('type-checks a typed call whose real answer, for a real solve, matches the response schema', async () => {
    const posted = await postJson(`${service.url}/schedules`, smallRequest());
    const done = await waitForSchedule(service.url, posted.body.id);
    expect(done.status).toBe('completed');
    // The real answers, read against the schemas the document was generated from.
    expect(ScheduleViewSchema.parse(done)).toEqual(done);
    expect(ScheduleListSchema.parse((await getJson(`${service.url}/schedules`)).body).items.map((i) => i.id)).toContain(posted.body.id);

    writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(doc)));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(
      join(dir, 'client.ts'),
      `import createClient from 'openapi-fetch';
import type { paths, components } from './api.d.ts';

const client = createClient<paths>({ baseUrl: process.argv[2] });
const { data, error } = await client.GET('/schedules/{id}', { params: { path: { id: process.argv[3]! } } });
if (error) throw new Error(error.error.code);
const shifts: components['schemas']['ScheduleResult']['shifts'] = data!.result!.shifts;
const ids: string[] = shifts.flatMap((s) => s.assistantIds);
const status: 'queued' | 'solving' | 'completed' | 'failed' = data!.status;
const listed = await client.GET('/schedules', { params: { query: { limit: 5, status: 'completed' } } });
const next: string | null | undefined = listed.data?.nextCursor;
console.log(JSON.stringify({ status, shifts: shifts.length, assigned: ids.length, listed: listed.data?.items.length, next }));
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noUncheckedIndexedAccess: true, allowImportingTsExtensions: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['ES2023', 'DOM'] }, files: ['client.ts'] }),
    );
    const run = promisify(execFile);
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]).catch((e) => {
      throw new Error(`the generated client does not type-check:\n${e.stdout}${e.stderr}`);
    });
    // And the typed call works against the live service.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(dir, 'client.ts'), service.url, posted.body.id], { cwd: root });
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ status: 'completed', shifts: 14 });
    expect(out.assigned).toBeGreaterThan(0);
    expect(out.listed).toBeGreaterThan(0);
  });

  it('is checked by tsc for real: a call with a wrong path parameter fails to compile', async () => {
    writeFileSync(join(dir, 'wrong.ts'), `import createClient from 'openapi-fetch';\nimport type { paths } from './api.d.ts';\nconst client = createClient<paths>({ baseUrl: '' });\nawait client.GET('/schedules/{id}', { params: { path: { scheduleId: 'x' } } });\n`);
    writeFileSync(join(dir, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', files: ['wrong.ts'] }));
    const failed = await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.wrong.json')]).then(() => false, () => true);
    expect(failed).toBe(true);
  });
});
