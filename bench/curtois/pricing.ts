import type { Instance } from './parse.ts';

/**
 * The pricing problem of column generation over Curtois employees, solved exactly by dynamic
 * programming over the days: one employee's least-cost roster under their own rules, at any costs
 * per shift and per weekend. HiGHS took 10-300 ms per such roster on Instances 5-8 and cut 40 % of
 * them short on Instance 8 (bench/RESULTS.md); this walks the days once.
 *
 * A state after day d is what the rest of the roster depends on: the last day's shift (or off), the
 * length of the current run of work or rest and whether it began on the first day (runs touching
 * the horizon's ends are exempt from the minimum lengths, as in the model's rows), the minutes so
 * far, the weekends counted, whether this weekend's Saturday was worked, and the count of each shift
 * type whose cap is counted (below). It mirrors the model's rows (bench/curtois/model.ts) one by
 * one; a property test compares it with HiGHS on the model's own rows at random costs.
 */
export interface RosterLayout {
  /** Per day, per shift type: the variable's place in the employee's block, or -1 where none. */
  shift: number[][];
  /** Per week: the weekend variable's place in the block. */
  weekend: number[];
}

/** A walk with more possible states a day than this is left to the pricing MIP. */
const MAX_STATES = 2_000_000;

export function rosterPricing(inst: Instance, layouts: RosterLayout[]) {
  const T = inst.shifts.length;
  const minutesOf = inst.shifts.map((s) => s.minutes);
  const unit = minutesOf.reduce(gcd, 0) || 1;
  const banned = inst.shifts.map((s) => inst.shifts.map((u) => s.cannotFollow.includes(u.id)));
  const h = inst.horizon;
  /**
   * Returns values in block order and their cost, or null where this does not apply. The caps on
   * shift types multiply the states (on Instance 8, up to 15 x 15 x 5); so the days are walked
   * without them first, and again with the caps the roster broke, until it keeps them all. A
   * least-cost roster of a looser problem that keeps every cap is a least-cost roster of the exact
   * one.
   */
  return (block: number, costs: number[]): { values: number[]; cost: number } | null => {
    if (h % 7 !== 0) return null;
    const capped = new Set<number>();
    for (;;) {
      const roster = walk(block, costs, capped);
      const broken = roster ? brokenCaps(block, roster.values) : [];
      if (!broken.length) return roster;
      broken.forEach((t) => capped.add(t));
    }
  };

  /** The shift types whose cap the roster breaks. */
  function brokenCaps(block: number, values: number[]): number[] {
    const st = inst.staff[block]!;
    const count = (t: number) => layouts[block]!.shift.reduce((n, places) => n + (places[t]! >= 0 ? values[places[t]!]! : 0), 0);
    return inst.shifts.map((s, t) => (count(t) > (st.maxShifts[s.id] ?? 0) ? t : -1)).filter((t) => t >= 0);
  }

  /** The least-cost roster over the days, counting the shift types in `capped` against their caps. */
  function walk(block: number, costs: number[], capped: Set<number>): { values: number[]; cost: number } | null {
    const st = inst.staff[block]!;
    const layout = layouts[block]!;
    const OFF = T;
    const C = st.maxConsecutive;
    const offCap = Math.max(1, st.minDaysOff);
    const R = Math.max(C, offCap) + 1;
    const maxU = Math.floor(st.maxMinutes / unit);
    const minU = Math.ceil(st.minMinutes / unit);
    const lenU = minutesOf.map((m) => m / unit);
    const longest = Math.max(...lenU);
    const W = st.maxWeekends;
    const counted = [...capped];
    const caps = counted.map((t) => st.maxShifts[inst.shifts[t]!.id]!);
    // A state is a mixed-radix number over these fields; `stride` is each field's place value.
    const radix = [T + 1, R, 2, maxU + 1, W + 1, 2, ...caps.map((c) => c + 1)];
    const stride = radix.map((_, i) => radix.slice(i + 1).reduce((a, b) => a * b, 1));
    const size = radix[0]! * stride[0]!;
    if (size > MAX_STATES) return null;
    const [LAST, RUN, START, MIN, WKS, SAT] = stride as [number, number, number, number, number, number];
    const capIndex = inst.shifts.map((_, t) => counted.indexOf(t));
    const field = (k: number, i: number) => Math.floor(k / stride[i]!) % radix[i]!;
    // Each day's states, compact: key, cost, the previous day's state it came from, and the choice.
    const days: { key: number[]; cost: number[]; back: number[]; pick: number[] }[] = [];
    // Dense scratch over all keys, reset after each day: a key's best cost and its compact place.
    const best = new Float64Array(size).fill(Infinity);
    const slot = new Int32Array(size);
    for (let d = 0; d < h; d++) {
      const day = { key: [] as number[], cost: [] as number[], back: [] as number[], pick: [] as number[] };
      const saturday = d % 7 === 5;
      const sunday = d % 7 === 6;
      const yCost = sunday ? costs[layout.weekend[(d - 6) / 7]!]! : 0;
      /** The choice `p` from the previous day's state at place `from` reaches key `k` at cost `v`. */
      const offer = (k: number, v: number, from: number, p: number) => {
        if (best[k] === Infinity) {
          slot[k] = day.key.length;
          day.key.push(k); day.cost.push(v); day.back.push(from); day.pick.push(p);
        } else if (v < best[k]!) {
          const i = slot[k]!;
          day.cost[i] = v; day.back[i] = from; day.pick[i] = p;
        } else return;
        best[k] = v;
      };
      // From state `s` (or the start when s < 0), at place `at` with cost `base`, each choice for day d.
      const step = (s: number, at: number, base: number) => {
        const last = s < 0 ? -1 : field(s, 0), run = s < 0 ? 0 : field(s, 1), fromStart = s < 0 ? 1 : field(s, 2);
        const minutes = s < 0 ? 0 : field(s, 3), sat = s < 0 ? 0 : field(s, 5);
        const rest = s < 0 ? 0 : s - last * LAST - run * RUN - fromStart * START;
        for (let c = 0; c <= T; c++) {
          const work = c !== OFF;
          if (work && layout.shift[d]![c]! < 0) continue;
          let k = rest + c * LAST;
          if (s < 0) k += RUN + START;
          else if (!work) {
            if (last !== OFF) {
              if (!fromStart && run < st.minConsecutive) continue;
              k += RUN;
            } else k += Math.min(run + 1, offCap) * RUN + fromStart * START;
          } else if (last === OFF) {
            if (!fromStart && run < st.minDaysOff) continue;
            k += RUN;
          } else {
            if (banned[last]![c] || run + 1 > C) continue;
            k += (run + 1) * RUN + fromStart * START;
          }
          let used = minutes;
          let v = base;
          if (work) {
            used += lenU[c]!;
            if (used > maxU) continue;
            k += lenU[c]! * MIN;
            const i = capIndex[c]!;
            if (i >= 0) {
              if (field(k, 6 + i) + 1 > caps[i]!) continue;
              k += stride[6 + i]!;
            }
            v += costs[layout.shift[d]![c]!]!;
          }
          // At most one shift a day: too few minutes now can never reach the least.
          if (used + (h - 1 - d) * longest < minU) continue;
          if (saturday && work) k += SAT;
          if (!sunday) { offer(k, v, at, c); continue; }
          // Sunday closes the weekend: its variable is 1 if either day was worked, else free.
          k -= sat * SAT;
          const weekends = field(k, 4);
          if (sat || work) { if (weekends < W) offer(k + WKS, v + yCost, at, c + T + 1); continue; }
          offer(k, v, at, c);
          if (yCost < 0 && weekends < W) offer(k + WKS, v + yCost, at, c + T + 1);
        }
      };
      if (d === 0) step(-1, -1, 0);
      else {
        const { key, cost } = days[d - 1]!;
        for (let i = 0; i < key.length; i++) step(key[i]!, i, cost[i]!);
      }
      for (const k of day.key) best[k] = Infinity;
      days.push(day);
    }
    const end = days[h - 1]!;
    if (!end.key.length) return null;
    let at = end.cost.indexOf(Math.min(...end.cost));
    const cost = end.cost[at]!;
    const values = new Array<number>(costs.length).fill(0);
    for (let d = h - 1; d >= 0; d--) {
      const p = days[d]!.pick[at]!;
      const c = p % (T + 1);
      if (c !== OFF) values[layout.shift[d]![c]!] = 1;
      if (p > T) values[layout.weekend[(d - 6) / 7]!] = 1;
      at = days[d]!.back[at]!;
    }
    return { values, cost };
  }
}

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
