import type { MilpModel } from '../../solver/engines/types.ts';
import type { Family } from '../../solver/lns.ts';
import { ModelBuilder } from '../../solver/model/builder.ts';
import { append } from '../../solver/lists.ts';
import type { Instance } from './parse.ts';
import type { Roster } from './evaluate.ts';
import { rosterPricing, type RosterLayout } from './pricing.ts';

/**
 * `families`: the model cut by employee, by day and by shift type and week, for large-neighbourhood
 * search (solver/lns.ts). `price`: column generation's pricing problem for the staff family's
 * blocks, solved exactly (bench/curtois/pricing.ts).
 */
export interface CurtoisModel { model: MilpModel; families: Family[]; decode(values: number[]): Roster; price: ReturnType<typeof rosterPricing> }

/** The instance as a MILP on our engine layer; tight forms (aggregated successions, run patterns). */
export function buildCurtoisModel(inst: Instance): CurtoisModel {
  const b = new ModelBuilder();
  const h = inst.horizon;
  const x = new Map<string, number>(); // `${e}|${d}|${t}`
  const weekend = new Map<string, number>(); // `${e}|${week}`
  const byStaff = new Map<string, number[]>(inst.staff.map((st) => [st.id, []]));
  const byDay: number[][] = Array.from({ length: h }, () => []);
  // One employee's week was a family too: it paid 0-1 times in 19-46 tries on Instances 5-8; dropped.
  const byTypeWeek = new Map<string, number[]>(); // `${t}|${week}`: one shift type's week, every employee
  const group = (e: string, d: number, v: number, t?: string) => {
    const tk = `${t}|${Math.floor(d / 7)}`;
    if (t) append(byTypeWeek, tk, v);
    byStaff.get(e)!.push(v);
    byDay[d]!.push(v);
  };
  let offset = 0;
  for (const st of inst.staff)
    for (let d = 0; d < h; d++)
      for (const s of inst.shifts)
        if ((st.maxShifts[s.id] ?? 0) > 0 && !inst.daysOff.get(st.id)?.has(d)) {
          const v = b.binary(`x:${st.id}:${d}:${s.id}`);
          x.set(`${st.id}|${d}|${s.id}`, v);
          group(st.id, d, v, s.id);
        }
  const xs = (e: string, d: number) => inst.shifts.map((s) => x.get(`${e}|${d}|${s.id}`)).filter((v): v is number => v !== undefined);
  const work = (e: string, d: number, coef = 1): [number, number][] => xs(e, d).map((v) => [v, coef]);

  for (const st of inst.staff) {
    const e = st.id;
    for (let d = 0; d < h; d++) {
      b.row(`one:${e}:${d}`, work(e, d), -Infinity, 1);
      if (d + 1 < h)
        for (const s of inst.shifts) {
          const v = x.get(`${e}|${d}|${s.id}`);
          const banned = s.cannotFollow.map((u) => x.get(`${e}|${d + 1}|${u}`)).filter((w): w is number => w !== undefined);
          if (v !== undefined && banned.length) b.row(`follow:${e}:${d}:${s.id}`, [[v, 1], ...banned.map((w) => [w, 1] as [number, number])], -Infinity, 1);
        }
    }
    for (const s of inst.shifts) {
      const all = Array.from({ length: h }, (_, d) => x.get(`${e}|${d}|${s.id}`)).filter((v): v is number => v !== undefined);
      b.row(`max:${e}:${s.id}`, all.map((v) => [v, 1]), -Infinity, st.maxShifts[s.id] ?? 0);
    }
    const mins: [number, number][] = [];
    for (let d = 0; d < h; d++) for (const s of inst.shifts) { const v = x.get(`${e}|${d}|${s.id}`); if (v !== undefined) mins.push([v, s.minutes]); }
    b.row(`minutes:${e}`, mins, st.minMinutes, st.maxMinutes);
    const C = st.maxConsecutive;
    for (let d = 0; d + C < h; d++) b.row(`maxrun:${e}:${d}`, Array.from({ length: C + 1 }, (_, i) => work(e, d + i)).flat(), -Infinity, C);
    // A run of s < min working days with an off day on both sides inside the horizon is forbidden.
    for (let s = 1; s < st.minConsecutive; s++)
      for (let d = 0; d + s + 1 < h; d++)
        b.row(`minrun:${e}:${d}:${s}`, [...work(e, d, -1), ...Array.from({ length: s }, (_, i) => work(e, d + 1 + i)).flat(), ...work(e, d + s + 1, -1)], -Infinity, s - 1);
    for (let s = 1; s < st.minDaysOff; s++)
      for (let d = 0; d + s + 1 < h; d++)
        b.row(`minoff:${e}:${d}:${s}`, [...work(e, d), ...Array.from({ length: s }, (_, i) => work(e, d + 1 + i, -1)).flat(), ...work(e, d + s + 1)], -Infinity, 1);
    const weekends: [number, number][] = [];
    for (let w = 0; w < h / 7; w++) {
      const y = b.binary(`wk:${e}:${w}`);
      weekend.set(`${e}|${w}`, y);
      group(e, 7 * w + 5, y);
      byDay[7 * w + 6]!.push(y);
      // A row per shift, not per day: one per day over its shifts is tighter (Instance 5's LP
      // relaxation 710 against 15) but left HiGHS alone at 1004 on Instance 3 in CI's 30 s, not its
      // optimum 1001; column generation prices whole rosters, so it does not need the tighter rows.
      for (const d of [7 * w + 5, 7 * w + 6]) for (const v of xs(e, d)) b.row(`wk:${e}:${w}:${v}`, [[v, 1], [y, -1]], -Infinity, 0);
      weekends.push([y, 1]);
    }
    b.row(`weekends:${e}`, weekends, -Infinity, st.maxWeekends);
  }
  for (const r of inst.onRequests) {
    offset += r.weight;
    const v = x.get(`${r.staff}|${r.day}|${r.shift}`);
    if (v !== undefined) b.addCost(v, -r.weight);
  }
  for (const r of inst.offRequests) {
    const v = x.get(`${r.staff}|${r.day}|${r.shift}`);
    if (v !== undefined) b.addCost(v, r.weight);
  }
  for (const c of inst.cover) {
    const on = inst.staff.map((st) => x.get(`${st.id}|${c.day}|${c.shift}`)).filter((v): v is number => v !== undefined);
    const under = b.continuous(`under:${c.day}:${c.shift}`, c.under);
    const over = b.continuous(`over:${c.day}:${c.shift}`, c.over);
    b.row(`cover:${c.day}:${c.shift}`, [...on.map((v) => [v, 1] as [number, number]), [under, 1], [over, -1]], c.requirement, c.requirement);
  }
  const model = { ...b.model(), offset };
  const layouts = inst.staff.map((st): RosterLayout => {
    const place = new Map(byStaff.get(st.id)!.map((v, i) => [v, i]));
    return {
      shift: Array.from({ length: h }, (_, d) => inst.shifts.map((s) => place.get(x.get(`${st.id}|${d}|${s.id}`)!) ?? -1)),
      weekend: Array.from({ length: Math.ceil(h / 7) }, (_, w) => place.get(weekend.get(`${st.id}|${w}`)!)!),
    };
  });
  return {
    model,
    price: rosterPricing(inst, layouts),
    families: [
      { name: 'staff', groups: [...byStaff.values()] },
      { name: 'days', groups: byDay, contiguous: true },
      // Measured on a quiet machine, 60 s: Instance 7 1163 without it, 1068, 1074 and 1166 with it; 5, 6 unchanged.
      { name: 'type-weeks', groups: [...byTypeWeek.values()] },
    ],
    decode(values) {
      const roster: Roster = new Map(inst.staff.map((s) => [s.id, Array(h).fill(null)]));
      for (const [key, v] of x) if (values[v]! > 0.5) { const [e, d, t] = key.split('|'); roster.get(e!)![Number(d)] = t!; }
      return roster;
    },
  };
}
