import { planSchedule, ScheduleRequestSchema } from '../solver/index.ts';
import { coveredHours, PRIORITIES, provenCoverage } from './proven-coverage.ts';
import { generate, type ScenarioSpec } from './scenarios.ts';

export interface ScaleRow {
  scenario: string; outcome: string;
  coveredHours: number; provenMaxHours: number | null;
  /** Fairness (largest relative deviation from contract hours) and the bound the solve proved. */
  fairness: number | null; fairnessBound: number | null; fairnessGap: number | null;
  coverageMs: number; fairnessMs: number; timeMs: number;
  /** Peak resident memory of this process while the solve ran (engines' threads included), MB. */
  peakRssMb: number; violations: number;
}

/** One large ordning at a 60 s limit: coverage against its separately proven maximum, fairness against its own bound. */
export async function scaleFigures(spec: ScenarioSpec, timeLimitSeconds = 60): Promise<ScaleRow> {
  const input = generate(spec);
  const request = ScheduleRequestSchema.parse({ ...input, solver: { timeLimitSeconds } });
  const proven = await provenCoverage(ScheduleRequestSchema.parse(input));
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  const at: Record<string, number> = {};
  const result = await planSchedule(request, { onProgress: (_, phase) => void (at[phase] ??= performance.now() - started) });
  const timeMs = Math.round(performance.now() - started);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const fairness = result.solver.levels.find((l) => l.name === 'fairness');
  const value = fairness?.value ?? null;
  const bound = fairness?.bound ?? null;
  const covered = coveredHours(request, result);
  const sum = (c: Record<string, number>) => Math.round(PRIORITIES.reduce((t, p) => t + c[p]!, 0) * 100) / 100;
  return {
    scenario: spec.name, outcome: result.outcome,
    coveredHours: sum(covered), provenMaxHours: proven ? sum(proven) : null,
    fairness: value, fairnessBound: bound,
    fairnessGap: value !== null && bound !== null && value > 0 ? (value - bound) / value : null,
    coverageMs: Math.round(at['solve:fairness'] ?? timeMs),
    fairnessMs: Math.round(at['solve:fairness-total'] ?? timeMs),
    timeMs,
    peakRssMb: Math.round(peak / 2 ** 20),
    violations: result.compliance.violations.length,
  };
}
