import { planSchedule, ScheduleRequestSchema, type ScheduleRequestInput } from '../../solver/index.ts';

export const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Parse (filling defaults) and plan, with a small time limit suited to tiny test cases. */
export async function plan(input: ScheduleRequestInput, options: Parameters<typeof planSchedule>[1] = {}) {
  const request = ScheduleRequestSchema.parse({ solver: { timeLimitSeconds: 10, relativeGap: 0, engine: 'highs' }, ...input });
  return { request, result: await planSchedule(request, options) };
}

export function base(over: Partial<ScheduleRequestInput> = {}): ScheduleRequestInput {
  return {
    ordning: { id: 'o', vedtak: { hoursPerWeek: 200, year: 2027 } },
    period: { start: '2027-01-04', weeks: 1 },
    needs: [],
    assistants: [{ id: 'a1', positionPercent: 100 }],
    ...over,
  };
}

export const covered = (r: { shifts: { assistantIds: string[] }[] }) => r.shifts.filter((s) => s.assistantIds.length > 0).length;
