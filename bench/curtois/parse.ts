import { readFileSync } from 'node:fs';

/** A Curtois & Qu instance, as its README describes the format. */
export interface Instance {
  name: string;
  horizon: number;
  shifts: { id: string; minutes: number; cannotFollow: string[] }[];
  staff: { id: string; maxShifts: Record<string, number>; maxMinutes: number; minMinutes: number; maxConsecutive: number; minConsecutive: number; minDaysOff: number; maxWeekends: number }[];
  daysOff: Map<string, Set<number>>;
  onRequests: { staff: string; day: number; shift: string; weight: number }[];
  offRequests: { staff: string; day: number; shift: string; weight: number }[];
  cover: { day: number; shift: string; requirement: number; under: number; over: number }[];
}

/** Sections by header; `#` comments and blank lines dropped, CRLF tolerated. */
function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('SECTION_')) out.set((current = line), []);
    else out.get(current)?.push(line);
  }
  return out;
}

export function parseInstance(text: string, name = 'instance'): Instance {
  const s = sections(text);
  const rows = (k: string) => (s.get(k) ?? []).map((l) => l.split(','));
  const requests = (k: string) => rows(k).map(([staff, day, shift, weight]) => ({ staff: staff!, day: Number(day), shift: shift!, weight: Number(weight) }));
  return {
    name,
    horizon: Number(rows('SECTION_HORIZON')[0]![0]),
    shifts: rows('SECTION_SHIFTS').map(([id, minutes, cf]) => ({ id: id!, minutes: Number(minutes), cannotFollow: (cf ?? '').split('|').filter(Boolean) })),
    staff: rows('SECTION_STAFF').map(([id, max, maxMin, minMin, maxC, minC, minOff, maxW]) => ({
      id: id!,
      maxShifts: Object.fromEntries(max!.split('|').map((p) => p.split('=')).map(([t, n]) => [t!, Number(n)])),
      maxMinutes: Number(maxMin),
      minMinutes: Number(minMin),
      maxConsecutive: Number(maxC),
      minConsecutive: Number(minC),
      minDaysOff: Number(minOff),
      maxWeekends: Number(maxW),
    })),
    daysOff: new Map(rows('SECTION_DAYS_OFF').map(([id, ...days]) => [id!, new Set(days.filter((d) => d !== '').map(Number))])),
    onRequests: requests('SECTION_SHIFT_ON_REQUESTS'),
    offRequests: requests('SECTION_SHIFT_OFF_REQUESTS'),
    cover: rows('SECTION_COVER').map(([day, shift, r, u, o]) => ({ day: Number(day), shift: shift!, requirement: Number(r), under: Number(u), over: Number(o) })),
  };
}

export const BENCHMARK_DIR = new URL('../../../shared/benchmarks/curtois/', import.meta.url);

export function loadInstance(n: number): Instance {
  return parseInstance(readFileSync(new URL(`Instance${n}.txt`, BENCHMARK_DIR), 'utf8'), `Instance${n}`);
}

/** Best-known objective values from the benchmark README (all proven optimal but 22). */
export const BEST_KNOWN: Record<number, number> = {
  1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439, 10: 4631, 11: 3443,
  12: 4040, 13: 1348, 14: 1278, 15: 3829, 16: 3225, 17: 5746, 18: 4459, 19: 3149, 20: 4769, 21: 21133, 22: 30241,
};
