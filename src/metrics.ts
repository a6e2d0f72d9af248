import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ScheduleResult } from '../solver/result.ts';
import type { JobQueue } from './ports.ts';
import type { DeliveryResult } from './notices/delivery.ts';

/**
 * The figures /metrics shows (Prometheus text format). One registry per running service, not
 * prom-client's global one, so two services in one process (the tests) keep theirs apart. Job
 * figures are those of the jobs this process ran; the queue's counts are the whole queue's.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly jobsEnded = new Counter({ name: 'turnus_jobs_ended_total', help: 'Planning jobs ended in this process, by the status they left their schedule in', labelNames: ['status', 'kind'], registers: [this.registry] });
  private readonly solveSeconds = new Histogram({ name: 'turnus_solve_seconds', help: 'Time from a job\'s start to its saved plan', buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600], labelNames: ['kind'], registers: [this.registry] });
  private readonly outcomes = new Counter({ name: 'turnus_plan_outcomes_total', help: 'Saved plans by outcome', labelNames: ['outcome'], registers: [this.registry] });
  private readonly coverage = new Histogram({ name: 'turnus_plan_coverage_ratio', help: 'Share of the needs\' assistant slots a saved plan filled', buckets: [0.5, 0.8, 0.9, 0.95, 0.99, 1], registers: [this.registry] });
  private readonly gap = new Histogram({ name: 'turnus_plan_gap_ratio', help: 'Relative gap of a saved plan\'s deciding level (plans with a proven bound)', buckets: [0, 0.001, 0.01, 0.05, 0.1, 0.25, 1], registers: [this.registry] });
  private readonly http = new Histogram({ name: 'turnus_http_request_duration_seconds', help: 'HTTP answers by route pattern (never a raw path) and status', labelNames: ['method', 'route', 'status'], buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  private readonly deliveries = new Counter({ name: 'turnus_webhook_deliveries_total', help: 'Tries of completion notice deliveries, by result', labelNames: ['result'], registers: [this.registry] });

  constructor(queue: JobQueue) {
    const registry = this.registry;
    // Read on every scrape: the queue's own counts, across every process in Redis mode. A scrape
    // collects its gauges at once, so the two below share one read while it is under way.
    let reading: ReturnType<JobQueue['counts']> | undefined;
    const counts = () => (reading ??= queue.counts().finally(() => (reading = undefined)));
    new Gauge({
      name: 'turnus_queue_jobs',
      help: 'Planning jobs in the queue by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        for (const [state, n] of Object.entries(await counts())) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'turnus_queue_depth',
      help: 'Planning jobs waiting to start (waiting and delayed)',
      registers: [registry],
      async collect() {
        const c = await counts();
        this.set(c.waiting + c.delayed);
      },
    });
  }

  jobEnded(kind: string, status: 'completed' | 'failed') {
    this.jobsEnded.inc({ kind, status });
  }

  planSaved(kind: string, result: ScheduleResult, ms: number) {
    this.solveSeconds.observe({ kind }, ms / 1000);
    this.outcomes.inc({ outcome: result.outcome });
    const filled = result.shifts.reduce((n, s) => n + s.assistantIds.length, 0);
    const missing = result.unfilled.reduce((n, u) => n + u.missing, 0);
    if (filled + missing > 0) this.coverage.observe(filled / (filled + missing));
    if (result.solver.gap !== null) this.gap.observe(result.solver.gap);
  }

  request(method: string, route: string, status: number, seconds: number) {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  delivery(result: DeliveryResult) {
    this.deliveries.inc({ result });
  }
}
