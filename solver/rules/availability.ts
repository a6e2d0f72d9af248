import { DateTime } from 'luxon';
import { checkAvailability } from '../check/plan-rules.ts';
import type { Rule } from './rule.ts';

export const availability: Rule = {
  name: 'availability',
  title: 'Assistants only work when available',
  parameters: [],
  eligible(assistant, shift, ctx) {
    const zone = ctx.request.ordning.timezone;
    return !assistant.unavailable.some((u) => shift.start < DateTime.fromISO(u.end, { zone }).toMillis() && shift.end > DateTime.fromISO(u.start, { zone }).toMillis());
  },
  check: checkAvailability,
};
