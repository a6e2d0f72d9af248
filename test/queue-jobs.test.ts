import { expect, it } from 'vitest';
import { jobHandler } from '../src/jobs.ts';
import { Planner } from '../src/planner/planner.ts';
import { createLogger } from '../src/logger.ts';
import { MemoryPool } from '../src/pool/memory.ts';
import { MemoryStore } from '../src/store/memory.ts';
import type { ScheduleRequest } from '../solver/request.ts';

it('a failed solve keeps its error on the schedule', async () => {
  const store = new MemoryStore();
  // Stored input that passed no validation (as from an older release): the solver throws on it.
  const created = await store.create({ ordning: { id: 'o' } } as unknown as ScheduleRequest);
  if (created.kind !== 'created') throw new Error('not created');
  const phases: string[] = [];
  const planner = new Planner({ heapMb: 512, killGraceMs: 2000 }, 1);
  await jobHandler({ store, pool: new MemoryPool(), log: createLogger('silent'), planner })({ scheduleId: created.record.id, kind: 'plan' }, (_f, p) => phases.push(p));
  const record = await store.get(created.record.id);
  expect(record?.status).toBe('failed');
  expect(record?.error?.code).toBe('solve_failed');
  expect(record?.error?.message.length).toBeGreaterThan(0);
  expect(record?.version).toBe(0);
  await planner.close();
});
