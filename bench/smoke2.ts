import { planSchedule, ScheduleRequestSchema, shutdownEngines } from '../solver/index.ts';
const assistants = Array.from({ length: 6 }, (_, i) => ({ id: `a${i + 1}`, positionPercent: [100, 80, 60, 50][i % 4]! }));
const all = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const request = ScheduleRequestSchema.parse({
  ordning: { id: 'ord-1', vedtak: { hoursPerWeek: 168, year: 2027 } },
  period: { start: '2027-03-22', weeks: 4 },
  rules: { profile: 'aml', overrides: JSON.parse(process.env.OV ?? '{}') },
  needs: [
    { id: 'day', days: all, start: '07:00', end: '15:00' },
    { id: 'eve', days: all, start: '15:00', end: '23:00' },
    { id: 'night', days: all, start: '23:00', end: '07:00', kind: 'passive' },
  ],
  assistants,
  solver: { engine: 'highs', timeLimitSeconds: Number(process.env.TL ?? 20) },
});
const r = await planSchedule(request, { forceRolling: !!process.env.ROLL });
console.log(r.outcome, r.solver.engine, r.solver.timeMs, r.solver.gap, r.compliance.violations.length, r.budget.plannedHours, r.budget.neededHours, r.fairness);
await shutdownEngines();
