import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { ScheduleRequest } from '../../solver/request.ts';
import type { ScheduleResult } from '../../solver/result.ts';
import { validBody } from './body.ts';
import { problem, zodDetails } from '../errors.ts';
import { chooseLang, type Lang } from '../i18n/texts.ts';
import { BodyIdSchema, ScheduleIdSchema, VersionSchema } from '../ids.ts';
import type { PoolStore, ScheduleStore } from '../ports.ts';
import { assistantEvents, calendarFeed } from '../views/calendar-feed.ts';
import { checkLink, LINK_SCOPES, signLink, type LinkGrant, type LinkScope } from '../views/links.ts';
import { timelisteCsv } from '../views/timeliste.ts';
import { turnusPage } from '../views/turnus-page.ts';

/**
 * The human views of a schedule: the turnus page, an assistant's calendar feed and the timeliste,
 * each readable with a signed link (`?token=`) as well as without one while the API is open.
 */

export interface ViewDeps {
  store: ScheduleStore;
  pool: PoolStore;
  /** LINK_SECRET; without it the store's own (random per process, or shared in Redis). */
  linkSecret?: string;
}

export const LinkRequestSchema = z
  .object({
    scope: z.enum(LINK_SCOPES),
    assistantId: BodyIdSchema.optional(),
    expiresInDays: z.number().int().min(1).max(366).default(30),
    revokeEarlier: z.boolean().default(false),
  })
  .strict()
  .refine((r) => (r.scope === 'calendar') === (r.assistantId !== undefined), { message: 'give assistantId for the calendar scope, and only for it', path: ['assistantId'] });

const DAY_SECONDS = 86_400;

/** Everything a view reads of one schedule, or the answer saying why it cannot be shown. */
type Loaded = { id: string; input: ScheduleRequest; result: ScheduleResult; latest: number; updatedAt: string; lang: Lang; names: Map<string, { name?: string; positionPercent: number }> };

export function viewRoutes(app: Hono, deps: ViewDeps): void {
  const { store } = deps;
  let secret: Promise<string> | undefined;
  const linkSecret = () => (secret ??= deps.linkSecret ? Promise.resolve(deps.linkSecret) : store.linkSecret().catch((err) => ((secret = undefined), Promise.reject(err))));

  /** A present token must grant exactly this view, now; without one the view stays open as the API is. */
  async function denied(c: Context, grant: LinkGrant): Promise<Response | null> {
    const token = c.req.query('token');
    if (token === undefined) return null;
    const verdict = checkLink(await linkSecret(), token, grant, await store.linkGeneration(grant.scheduleId), Math.floor(Date.now() / 1000));
    if (verdict === 'valid') return null;
    return problem(c, 403, 'forbidden', verdict === 'expired' ? 'this link has expired; ask for a new one' : 'this link is not valid for this view (altered or revoked)');
  }

  /** The schedule, its input and the asked version (latest when `version` is undefined). */
  async function load(c: Context, scope: LinkScope, version?: number, assistantId?: string): Promise<Loaded | Response> {
    const lang = chooseLang(c.req.query('lang'), c.req.header('accept-language'));
    if (!lang) return problem(c, 400, 'invalid_request', 'unknown language', [{ path: 'lang', message: 'expected nb or en' }]);
    const id = ScheduleIdSchema.safeParse(c.req.param('id'));
    if (!id.success) return problem(c, 404, 'not_found', 'no such schedule');
    const refused = await denied(c, { scheduleId: id.data, scope, ...(assistantId ? { assistantId } : {}) });
    if (refused) return refused;
    const [record, input] = await Promise.all([store.get(id.data), store.getInput(id.data)]);
    if (!record || !input) return problem(c, 404, 'not_found', 'no such schedule');
    if (record.version === 0) return problem(c, 409, 'schedule_not_ready', `the schedule is ${record.status} and has no plan yet`);
    const result = await store.getVersion(id.data, version ?? record.version);
    if (!result) return problem(c, 404, 'not_found', 'no such schedule version');
    // Pool members are named in their pool, not in the ordning's request.
    const members = input.pool ? await deps.pool.members(input.pool.id) : [];
    const names = new Map([...members, ...input.assistants].map((a) => [a.id, a as { name?: string; positionPercent: number }]));
    return { id: id.data, input, result, latest: record.version, updatedAt: record.updatedAt, lang, names };
  }

  const nameOf = (v: Loaded) => (assistantId: string) => v.names.get(assistantId)?.name ?? assistantId;

  async function turnus(c: Context, version?: number) {
    const v = await load(c, 'turnus', version);
    if (v instanceof Response) return v;
    c.header('Cache-Control', 'private, no-store');
    c.header('Content-Language', v.lang);
    // No script, nothing fetched from elsewhere, and a link's token never leaves in a Referer.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.html(turnusPage({ scheduleId: v.id, input: v.input, result: v.result, latestVersion: v.latest, lang: v.lang, nameOf: nameOf(v), positionOf: (a) => v.names.get(a)?.positionPercent }));
  }

  app.get('/schedules/:id/turnus', (c) => turnus(c));
  app.get('/schedules/:id/versions/:n/turnus', (c) => {
    const n = VersionSchema.safeParse(c.req.param('n'));
    if (!n.success) return problem(c, 400, 'invalid_request', 'version must be a whole number from 1', [{ path: 'n', message: 'expected an integer >= 1' }]);
    return turnus(c, n.data);
  });

  app.get('/schedules/:id/assistants/:assistantId/calendar.ics', async (c) => {
    const assistantId = BodyIdSchema.safeParse(c.req.param('assistantId'));
    if (!assistantId.success) return problem(c, 404, 'not_found', 'no such assistant in this schedule');
    const v = await load(c, 'calendar', undefined, assistantId.data);
    if (v instanceof Response) return v;
    const versions = (await Promise.all(Array.from({ length: v.latest }, (_, i) => store.getVersion(v.id, i + 1)))).filter((r): r is ScheduleResult => r !== null);
    const events = assistantEvents(versions, assistantId.data);
    if (!v.names.has(assistantId.data) && events.length === 0) return problem(c, 404, 'not_found', 'no such assistant in this schedule');
    const labels = new Map(v.input.needs.map((n) => [n.id, (n as { label?: string }).label ?? n.id]));
    const body = calendarFeed({ scheduleId: v.id, assistantId: assistantId.data, assistantName: nameOf(v)(assistantId.data), zone: v.input.ordning.timezone, events, labelOf: (id) => labels.get(id) ?? id, stamp: v.updatedAt, lang: v.lang });
    return c.body(body, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Cache-Control': 'private, no-cache' });
  });

  app.get('/schedules/:id/timeliste.csv', async (c) => {
    const v = await load(c, 'timeliste');
    if (v instanceof Response) return v;
    const body = timelisteCsv(v.input, v.result, v.lang, (a) => v.names.get(a)?.name);
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': `attachment; filename="timeliste-${v.input.period.start}.csv"`,
      'Content-Language': v.lang,
      'Cache-Control': 'private, no-store',
    });
  });

  const small = bodyLimit({ maxSize: 4096, onError: (c) => problem(c, 413, 'payload_too_large', 'the body is over 4096 bytes') });
  app.post('/schedules/:id/links', small, async (c) => {
    const id = ScheduleIdSchema.safeParse(c.req.param('id'));
    const input = id.success ? await store.getInput(id.data) : null;
    if (!id.success || !input) return problem(c, 404, 'not_found', 'no such schedule');
    const parsed = await validBody(c, LinkRequestSchema, 'link request');
    if ('error' in parsed) return parsed.error;
    const { scope, assistantId, expiresInDays, revokeEarlier } = parsed.data;
    // Pool members booked here have a calendar too.
    const known = async (a: string) => input.assistants.some((x) => x.id === a) || (input.pool ? (await deps.pool.members(input.pool.id)).some((x) => x.id === a) : false);
    if (assistantId && !(await known(assistantId)))
      return problem(c, 400, 'invalid_request', 'unknown assistant', [{ path: 'assistantId', message: `"${assistantId}" is not an assistant of this ordning or its pool` }]);
    const generation = revokeEarlier ? await store.bumpLinkGeneration(id.data) : await store.linkGeneration(id.data);
    const expires = Math.floor(Date.now() / 1000) + expiresInDays * DAY_SECONDS;
    const token = signLink(await linkSecret(), { scheduleId: id.data, scope, ...(assistantId ? { assistantId } : {}) }, expires, generation);
    const path = scope === 'turnus' ? 'turnus' : scope === 'timeliste' ? 'timeliste.csv' : `assistants/${encodeURIComponent(assistantId!)}/calendar.ics`;
    const url = new URL(`/schedules/${id.data}/${path}?token=${token}`, new URL(c.req.url).origin).toString();
    return c.json({ url, expiresAt: new Date(expires * 1000).toISOString(), scope, ...(assistantId ? { assistantId } : {}) }, 201);
  });
}
