import type { Rule } from './rule.ts';
import { noOverlap } from './no-overlap.ts';
import { dailyRest } from './daily-rest.ts';
import { maxHoursPerDay, maxHoursPerWeek, nightWork } from './windows.ts';
import { averageWeeklyHours, weeklyRest } from './weekly-rest.ts';
import { sundayRest } from './sunday-rest.ts';
import { availability, coverage, pinned, skills, vedtakCap } from './plan-rules.ts';

/** The rule book (README.md beside this file), working-time law first, then the plan's own rules. */
export const RULES: Rule[] = [
  noOverlap,
  dailyRest,
  maxHoursPerDay,
  nightWork,
  maxHoursPerWeek,
  averageWeeklyHours,
  weeklyRest,
  sundayRest,
  availability,
  skills,
  coverage,
  vedtakCap,
  pinned,
];

export type { Rule };
