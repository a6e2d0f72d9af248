import { RULES } from '../rules/index.ts';
import type { Violation } from '../result.ts';
import { type CheckInput, withWork } from './input.ts';

export type { CheckInput } from './input.ts';

/** Every rule of the rule book against the plan's clock times. An empty list proves the plan legal. */
export function checkPlan(input: CheckInput): Violation[] {
  // Each assistant's work is sorted once here, for every rule (most read it).
  const checked = withWork(input);
  return RULES.flatMap((rule) => rule.check(checked));
}
