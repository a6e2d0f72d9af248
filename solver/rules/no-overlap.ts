import { checkNoOverlap } from '../check/rest.ts';
import type { Rule } from './rule.ts';

/** Overlaps are a special case of too little rest, so `daily-rest` carries the constraints. */
export const noOverlap: Rule = {
  name: 'no-overlap',
  title: 'No two shifts of one assistant overlap',
  parameters: [],
  check: checkNoOverlap,
};
