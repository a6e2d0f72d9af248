import { localMillis } from '../calendar.ts';
import { checkAvailability } from '../check/plan-rules.ts';
import type { Rule } from './rule.ts';

export const availability: Rule = {
  name: 'availability',
  title: 'Assistants only work when available',
  parameters: [],
  eligible(assistant, shift, ctx) {
    const zone = ctx.request.ordning.timezone;
    return !assistant.unavailable.some((u) => shift.start < localMillis(u.end, zone) && shift.end > localMillis(u.start, zone));
  },
  check: checkAvailability,
};
