import { checkSkills } from '../check/plan-rules.ts';
import type { Rule } from './rule.ts';

export const skills: Rule = {
  name: 'skills',
  title: 'Assistants have the skills a need asks for',
  parameters: [],
  eligible: (assistant, shift) => shift.skills.every((k) => assistant.skills.includes(k)),
  check: checkSkills,
};
