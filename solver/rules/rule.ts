import type { Assistant } from '../request.ts';
import type { ShiftInstance } from '../normalise.ts';
import type { RuleParameters } from './parameters.ts';
import type { ModelContext } from '../model/context.ts';
import type { CheckInput } from '../check/input.ts';
import type { Violation } from '../result.ts';

/**
 * One working-time (or plan) rule: what it reads from the profile, how it shapes the model, and
 * how the independent checker proves a finished plan keeps it (from clock times only).
 */
export interface Rule {
  name: string;
  title: string;
  parameters: (keyof RuleParameters)[];
  /** False when this assistant can never take this shift by this rule alone: no variable is made. */
  eligible?(assistant: Assistant, shift: ShiftInstance, ctx: ModelContext): boolean;
  constrain?(ctx: ModelContext): void;
  check(input: CheckInput): Violation[];
}
