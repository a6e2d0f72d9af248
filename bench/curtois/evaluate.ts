import type { Instance } from './parse.ts';

/** roster[e][d] = shift id worked, or null for a day off. */
export type Roster = Map<string, (string | null)[]>;

export const emptyRoster = (inst: Instance): Roster => new Map(inst.staff.map((s) => [s.id, Array(inst.horizon).fill(null)]));

/** The benchmark's objective, written from its README alone. */
export function score(inst: Instance, roster: Roster): number {
  let total = 0;
  for (const r of inst.onRequests) if (roster.get(r.staff)?.[r.day] !== r.shift) total += r.weight;
  for (const r of inst.offRequests) if (roster.get(r.staff)?.[r.day] === r.shift) total += r.weight;
  for (const c of inst.cover) {
    const n = [...roster.values()].filter((days) => days[c.day] === c.shift).length;
    total += c.under * Math.max(0, c.requirement - n) + c.over * Math.max(0, n - c.requirement);
  }
  return total;
}

/** Runs of equal values (true = working) as [start, length, value]. */
function runs(days: boolean[]): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  days.forEach((v, d) => (d > 0 && days[d - 1] === v ? out[out.length - 1]![1]++ : out.push([d, 1, v])));
  return out;
}

/** Every hard rule of the README the roster breaks, in words. */
export function hardViolations(inst: Instance, roster: Roster): string[] {
  const out: string[] = [];
  const minutes = new Map(inst.shifts.map((s) => [s.id, s.minutes]));
  const follow = new Map(inst.shifts.map((s) => [s.id, new Set(s.cannotFollow)]));
  for (const st of inst.staff) {
    const days = roster.get(st.id) ?? [];
    days.forEach((t, d) => {
      if (t && inst.daysOff.get(st.id)?.has(d)) out.push(`${st.id} works day ${d}, a day off`);
      const next = days[d + 1];
      if (t && next && follow.get(t)?.has(next)) out.push(`${st.id}: ${next} on day ${d + 1} may not follow ${t}`);
    });
    for (const [t, max] of Object.entries(st.maxShifts)) {
      const n = days.filter((x) => x === t).length;
      if (n > max) out.push(`${st.id}: ${n} ${t} shifts, at most ${max}`);
    }
    const total = days.reduce((s, t) => s + (t ? minutes.get(t)! : 0), 0);
    if (total > st.maxMinutes || total < st.minMinutes) out.push(`${st.id}: ${total} minutes outside [${st.minMinutes}, ${st.maxMinutes}]`);
    for (const [start, len, working] of runs(days.map((t) => t !== null))) {
      const inside = start > 0 && start + len < inst.horizon;
      if (working && len > st.maxConsecutive) out.push(`${st.id}: ${len} days in a row from ${start}`);
      if (working && inside && len < st.minConsecutive) out.push(`${st.id}: only ${len} days in a row from ${start}`);
      if (!working && inside && len < st.minDaysOff) out.push(`${st.id}: only ${len} days off from ${start}`);
    }
    const weekends = Array.from({ length: inst.horizon / 7 }, (_, w) => days[7 * w + 5] || days[7 * w + 6]).filter(Boolean).length;
    if (weekends > st.maxWeekends) out.push(`${st.id}: ${weekends} weekends, at most ${st.maxWeekends}`);
  }
  return out;
}
