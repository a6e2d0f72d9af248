import type { ScheduleResult } from '../../solver/result.ts';
import type { PlannerTask } from './task.ts';

/** Main thread to planner thread. */
export type ToPlanner = { type: 'run'; task: PlannerTask } | { type: 'stop' };

/** Planner thread to main thread. */
export type FromPlanner =
  | { type: 'ready' }
  | { type: 'progress'; fraction: number; phase: string }
  | { type: 'done'; result: ScheduleResult }
  | { type: 'failed'; message: string };
