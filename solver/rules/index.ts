import type { Rule } from './rule.ts';
import { noOverlap } from './no-overlap.ts';
import { dailyRest } from './daily-rest.ts';
import { maxHoursPerDay } from './max-hours-per-day.ts';
import { nightWork } from './night-work.ts';
import { maxHoursPerWeek } from './max-hours-per-week.ts';
import { averageWeeklyHours } from './average-weekly-hours.ts';
import { weeklyRest } from './weekly-rest.ts';
import { sundayRest } from './sunday-rest.ts';
import { availability } from './availability.ts';
import { skills } from './skills.ts';
import { coverage } from './coverage.ts';
import { vedtakCap } from './vedtak-cap.ts';
import { pinned } from './pinned.ts';

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
