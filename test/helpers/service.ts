import { loadConfig } from '../../src/config.ts';
import { start, type Running } from '../../src/server.ts';
import { freePort } from './redis.ts';

/** Starts the real service (API + worker) on a free port; Redis mode when a URL is given. */
export async function startService(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  return start(loadConfig({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }), { api: true, worker: true });
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

export async function getJson(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as any };
}

/** Polls a schedule until it leaves queued/solving. */
export async function waitForSchedule(base: string, id: string, timeoutMs = 60_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getJson(`${base}/schedules/${id}`);
    if (body.status === 'completed' || body.status === 'failed') return body;
    if (Date.now() > until) throw new Error(`schedule ${id} still ${body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
