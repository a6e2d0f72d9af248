import type { ScheduleRequest } from '../solver/request.ts';
import type { ScheduleResult } from '../solver/result.ts';

/** The two ports the API and the workers meet at; embedded and Redis adapters implement both. */

export type ScheduleStatus = 'queued' | 'solving' | 'completed' | 'failed';
export type JobKind = 'plan';

export interface ScheduleRecord {
  id: string;
  status: ScheduleStatus;
  createdAt: string;
  updatedAt: string;
  progress?: { fraction: number; phase: string };
  error?: { code: string; message: string };
  /** Highest stored result version, 0 before the first. */
  version: number;
}

export type CreateOutcome = { kind: 'created'; record: ScheduleRecord } | { kind: 'existing'; record: ScheduleRecord } | { kind: 'conflict' };

export interface ScheduleStore {
  /** Stores a new schedule; with an idempotency key, atomically answers the earlier one or a conflict. */
  create(input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }): Promise<CreateOutcome>;
  get(id: string): Promise<ScheduleRecord | null>;
  getInput(id: string): Promise<ScheduleRequest | null>;
  update(id: string, patch: Partial<Pick<ScheduleRecord, 'status' | 'progress' | 'error'>>): Promise<void>;
  /** Appends a result as the next version and marks the schedule completed. */
  saveResult(id: string, result: ScheduleResult): Promise<number>;
  getVersion(id: string, version: number): Promise<ScheduleResult | null>;
  delete(id: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface JobData { scheduleId: string; kind: JobKind }
export type JobHandler = (job: JobData, progress: (fraction: number, phase: string) => void) => Promise<void>;

export interface JobQueue {
  enqueue(job: JobData): Promise<void>;
  /** Starts consuming jobs in this process. */
  work(handler: JobHandler, concurrency: number): void;
  ping(): Promise<void>;
  /** Stops taking jobs and waits (up to the grace) for running ones; the rest are recovered elsewhere. */
  close(graceMs: number): Promise<void>;
}
