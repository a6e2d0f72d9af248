import { planSchedule, ScheduleRequestSchema, shutdownEngines } from '../solver/index.ts';

const assistants = Array.from({ length: Number(process.argv[2] ?? 6) }, (_, i) => ({ id: `a${i + 1}`, positionPercent: [100, 80, 60, 50][i % 4]! }));
const request = ScheduleRequestSchema.parse({
  ordning: { id: 'ord-1', vedtak: { hoursPerWeek: 168, year: 2027 } },
  period: { start: '2027-03-22', weeks: Number(process.argv[3] ?? 4) },
  needs: [
    { id: 'day', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '07:00', end: '15:00' },
    { id: 'eve', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '15:00', end: '23:00' },
    { id: 'night', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '23:00', end: '07:00', kind: 'passive' },
  ],
  assistants,
  solver: { engine: process.argv[4] ?? 'highs', timeLimitSeconds: 20 },
});
const r = await planSchedule(request, { onProgress: (f, p) => process.stderr.write(`${p} ${f.toFixed(2)}\n`) });
console.log(r.outcome, r.solver, r.compliance.violations.slice(0, 5), r.budget.plannedHours, r.budget.neededHours, r.unfilled.length, r.fairness);
console.log(r.assistants);
console.log(r.unfilled.slice(0, 3));
await shutdownEngines();
