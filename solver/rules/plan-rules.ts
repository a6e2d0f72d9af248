import { DateTime } from 'luxon';
import { vedtakFrame, vedtakHours } from '../budget.ts';
import { checkAvailability, checkCoverage, checkPinned, checkSkills, checkVedtakCap } from '../check/plan-rules.ts';
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

export const skills: Rule = {
  name: 'skills',
  title: 'Assistants have the skills a need asks for',
  parameters: [],
  eligible: (assistant, shift) => shift.skills.every((k) => assistant.skills.includes(k)),
  check: checkSkills,
};

export const coverage: Rule = {
  name: 'coverage',
  title: 'No more assistants than a need asks for',
  parameters: [],
  constrain(ctx) {
    for (const s of ctx.shifts) {
      const vars = [...ctx.work.values()].flatMap((items) => items.filter((w) => w.shiftId === s.id && w.v !== undefined));
      const fixed = [...ctx.work.values()].flatMap((items) => items.filter((w) => w.shiftId === s.id && w.v === undefined)).length;
      if (vars.length + fixed > s.headcount) ctx.builder.row(`cover:${s.id}`, vars.map((w) => [w.v!, 1]), -Infinity, s.headcount - fixed);
    }
  },
  check: checkCoverage,
};

export const vedtakCap: Rule = {
  name: 'vedtak-cap',
  title: 'Planned hours within what the vedtak leaves for the period',
  parameters: [],
  constrain(ctx) {
    const byId = new Map(ctx.shifts.map((s) => [s.id, s]));
    const terms: [number, number][] = [];
    let fixed = 0;
    for (const items of ctx.work.values())
      for (const w of items) {
        const s = byId.get(w.shiftId);
        if (!s) continue; // a booking in another ordning uses that ordning's vedtak
        const h = vedtakHours(s.hours, s.kind, ctx.request);
        if (w.v === undefined) fixed += h;
        else terms.push([w.v, h]);
      }
    ctx.builder.row('vedtak-cap', terms, -Infinity, vedtakFrame(ctx.request).periodCap - fixed);
  },
  check: checkVedtakCap,
};

export const pinned: Rule = {
  name: 'pinned',
  title: 'Pinned assignments are kept',
  parameters: [],
  constrain(ctx) {
    for (const p of ctx.request.pinned) {
      const w = ctx.work.get(p.assistantId)?.find((i) => i.shiftId === `${p.needId}@${p.date}`);
      if (w?.v !== undefined) ctx.builder.variables[w.v]!.lb = 1;
    }
  },
  check: checkPinned,
};
