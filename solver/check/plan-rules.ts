import { localMillis } from '../calendar.ts';
import { capRule, vedtakHours } from '../budget.ts';
import type { Violation } from '../result.ts';
import { type CheckInput, fmt, ms } from './input.ts';

/** Rules about the plan itself rather than working time: availability, skills, coverage, cap, pins. */

const assistantsById = (input: CheckInput) => new Map(input.request.assistants.map((a) => [a.id, a]));

export function checkAvailability(input: CheckInput): Violation[] {
  const zone = input.request.ordning.timezone;
  const byId = assistantsById(input);
  const out: Violation[] = [];
  for (const s of input.shifts)
    for (const id of s.assistantIds)
      for (const u of byId.get(id)?.unavailable ?? []) {
        const from = localMillis(u.start, zone);
        const to = localMillis(u.end, zone);
        if (ms(s.start) < to && ms(s.end) > from) out.push({ rule: 'availability', assistantId: id, shiftIds: [s.id], detail: `unavailable ${u.start} to ${u.end}` });
      }
  return out;
}

export function checkSkills(input: CheckInput): Violation[] {
  const byId = assistantsById(input);
  const needs = new Map(input.request.needs.map((n) => [n.id, n]));
  const out: Violation[] = [];
  for (const s of input.shifts)
    for (const id of s.assistantIds) {
      const missing = (needs.get(s.needId)?.skills ?? []).filter((k) => !byId.get(id)?.skills.includes(k));
      if (missing.length) out.push({ rule: 'skills', assistantId: id, shiftIds: [s.id], detail: `lacks ${missing.join(', ')}` });
    }
  return out;
}

export function checkCoverage(input: CheckInput): Violation[] {
  const byId = assistantsById(input);
  const needs = new Map(input.request.needs.map((n) => [n.id, n]));
  const out: Violation[] = [];
  for (const s of input.shifts) {
    const want = needs.get(s.needId)?.assistants ?? 0;
    const ids = s.assistantIds;
    if (ids.length > want) out.push({ rule: 'coverage', assistantId: ids[0] ?? '', shiftIds: [s.id], detail: `${ids.length} assistants, the need asks for ${want}` });
    if (new Set(ids).size < ids.length) out.push({ rule: 'coverage', assistantId: ids[0] ?? '', shiftIds: [s.id], detail: 'an assistant is on the shift twice' });
    for (const id of ids) if (!byId.has(id)) out.push({ rule: 'coverage', assistantId: id, shiftIds: [s.id], detail: 'not an assistant of this plan' });
  }
  return out;
}

export function checkVedtakCap(input: CheckInput): Violation[] {
  const rule = capRule(input.request);
  const priority = new Map(input.request.needs.map((n) => [n.id, n.priority]));
  // Under a soft frame too small for the essential care, only hours of other priorities count, against 0.
  const counted = rule.kind === 'total' ? input.shifts : input.shifts.filter((s) => priority.get(s.needId) !== 'essential');
  const cap = rule.kind === 'total' ? rule.cap : 0;
  const planned = counted.reduce((sum, s) => sum + vedtakHours((ms(s.end) - ms(s.start)) / 3_600_000, s.kind, input.request) * s.assistantIds.length, 0);
  if (planned <= cap + 1e-6) return [];
  if (rule.kind === 'essential-only') return [{ rule: 'vedtak-cap', assistantId: '', shiftIds: [], detail: `${fmt(planned)} of non-essential care planned although the frame cannot hold the essential care` }];
  return [{ rule: 'vedtak-cap', assistantId: '', shiftIds: [], detail: `${fmt(planned)} planned, the vedtak leaves ${fmt(cap)}` }];
}

export function checkPinned(input: CheckInput): Violation[] {
  const byId = new Map(input.shifts.map((s) => [s.id, s]));
  return input.request.pinned
    .filter((p) => !byId.get(`${p.needId}@${p.date}`)?.assistantIds.includes(p.assistantId))
    .map((p) => ({ rule: 'pinned', assistantId: p.assistantId, shiftIds: [`${p.needId}@${p.date}`], detail: 'pinned assignment missing' }));
}
