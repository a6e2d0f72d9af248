import { RULES } from '../rules/index.ts';
import type { Rule } from '../rules/rule.ts';
import type { Violation } from '../result.ts';
import { type CheckInput, withWork } from './input.ts';

export type { CheckInput } from './input.ts';

/** Every rule of the rule book against the plan's clock times. An empty list proves the plan legal. */
export function checkPlan(input: CheckInput): Violation[] {
  return checkRules(input, RULES);
}

/** The rules given (of the rule book) against the plan's clock times. */
export function checkRules(input: CheckInput, rules: readonly Rule[]): Violation[] {
  // Each assistant's work is sorted once here, for every rule (most read it).
  const checked = withWork(input);
  return rules.flatMap((rule) => rule.check(checked));
}
