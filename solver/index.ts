/** The planning core's public face: pure functions from a request to a checked plan. */
export { planSchedule, TIME_LIMIT_REACHED, type PlanOptions } from './plan.ts';
export { replanSickLeave, sickInterval, type SickLeaveInput } from './replan.ts';
export { withPool, withOrdningPreference } from './pool.ts';
export { firstPlanClaim, withClaims } from './pool-claims.ts';
export { poolClashes, poolShiftBookings, bookingsBrokenBy, clashingMembers, violationKey, type BookedIn, type PoolCheckInput } from './pool-check.ts';
export { checkPlan, type CheckInput } from './check/index.ts';
export { ruleParameters, PROFILES } from './rules/profiles.ts';
export { RULES } from './rules/index.ts';
export { warmUpEngines, shutdownEngines } from './engines/index.ts';
export { warmUpPlanner } from './warm-up.ts';
export { modelSize, type ModelSize } from './size.ts';
export { scoresBelow, type LevelReport } from './levels.ts';
export { asMended } from './explain.ts';
export * from './request.ts';
export type * from './result.ts';
