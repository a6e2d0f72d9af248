import { loadConfig } from '../src/config.ts';
import { start } from '../src/server.ts';
import { generate, SCENARIOS } from './scenarios.ts';

/**
 * Re-plan figures, end to end over HTTP on the embedded service: a 4-week, 6-assistant plan with a
 * pool of 20, then 3-day absences one after another; time from POST sick-leave to the completed version.
 */
export async function replanFigures(rounds: number): Promise<{ runs: number; medianMs: number; maxMs: number; violations: number; pooled: number }> {
  const service = await start(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' }), { api: true, worker: true });
  const base = service.url;
  const json = async (path: string, method = 'GET', body?: unknown) =>
    (await (await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })).json()) as any;
  const waitDone = async (id: string) => {
    for (;;) {
      const s = await json(`/schedules/${id}`);
      if (s.status === 'completed' || s.status === 'failed') return s;
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    for (let i = 1; i <= 20; i++) await json(`/pools/bench/assistants/p${i}`, 'PUT', { positionPercent: 0, skills: i % 2 ? ['lifting'] : [] });
    const spec = SCENARIOS.find((s) => s.name === 'target-6x4-3shifts')!;
    const input = { ...generate(spec), pool: { id: 'bench' }, solver: { timeLimitSeconds: 10, relativeGap: 0.01, engine: 'highs' } };
    const { id } = await json('/schedules', 'POST', input);
    let latest = (await waitDone(id)).result;
    const times: number[] = [];
    let violations = 0;
    let pooled = 0;
    for (let k = 0; k < rounds; k++) {
      const assistant = input.assistants[k % input.assistants.length]!.id;
      const day = new Date(Date.parse(`${input.period.start}T00:00:00Z`) + (3 + 4 * k) % 24 * 86_400_000).toISOString().slice(0, 10);
      const to = new Date(Date.parse(`${day}T00:00:00Z`) + 3 * 86_400_000).toISOString().slice(0, 10);
      const t0 = performance.now();
      await json(`/schedules/${id}/sick-leave`, 'POST', { assistantId: assistant, from: `${day}T00:00`, to: `${to}T00:00` });
      const done = await waitDone(id);
      times.push(performance.now() - t0);
      latest = done.result;
      violations += latest.compliance.violations.length;
      pooled += (latest.changes ?? []).filter((c: any) => c.source === 'pool').length;
    }
    times.sort((a, b) => a - b);
    return { runs: rounds, medianMs: Math.round(times[Math.floor(times.length / 2)]!), maxMs: Math.round(times.at(-1)!), violations, pooled };
  } finally {
    await service.stop();
  }
}
