import { RULES } from '../rules/index.ts';
import type { Violation } from '../result.ts';
import type { CheckInput } from './input.ts';

export type { CheckInput } from './input.ts';

/** Every rule of the rule book against the plan's clock times. An empty list proves the plan legal. */
export function checkPlan(input: CheckInput): Violation[] {
  return RULES.flatMap((rule) => rule.check(input));
}
