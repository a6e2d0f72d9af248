import type { Assistant, ScheduleRequest, SickLeaveRequest } from '../solver/request.ts';
import type { ExternalBooking, ScheduleResult } from '../solver/result.ts';

/** The two ports the API and the workers meet at; embedded and Redis adapters implement both. */

/** A port that cannot take the call just now (Redis away, queue closing): the API answers 503. */
export class Unavailable extends Error {}

export type ScheduleStatus = 'queued' | 'solving' | 'completed' | 'failed';
export type JobKind = 'plan' | 'sick-leave';

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
  /**
   * Undoes a create whose request then failed, and frees its idempotency key. One write, sent at
   * once without a read first: to a Redis that hangs it goes right behind the writes it undoes.
   */
  undoCreate(id: string, idempotencyKey?: string): Promise<void>;
  /** Appends a sick-leave report to a schedule; answers its number (1, 2, ...). */
  addSickLeave(id: string, sick: SickLeaveRequest): Promise<number>;
  getSickLeave(id: string, n: number): Promise<SickLeaveRequest | null>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A shared pool of assistants across ordninger, with every shift they are booked for. */
export interface PoolStore {
  putMember(poolId: string, member: Assistant): Promise<'created' | 'updated'>;
  members(poolId: string): Promise<Assistant[]>;
  bookings(poolId: string): Promise<ExternalBooking[]>;
  /**
   * Replaces one schedule's bookings in the pool, atomically: refused (false) when a new booking
   * overlaps, or comes within `restMs` of, another schedule's booking of the same assistant.
   */
  book(poolId: string, scheduleId: string, bookings: ExternalBooking[], restMs: number): Promise<boolean>;
  /** Removes every booking of one schedule (a deleted schedule books no one). */
  release(poolId: string, scheduleId: string): Promise<void>;
  /** Runs `fn` while no other re-plan in the same pool runs (across processes in Redis mode). */
  exclusive<T>(poolId: string, fn: () => Promise<T>): Promise<T>;
}

export interface JobData { scheduleId: string; kind: JobKind; sickLeave?: number }
/** `abandoned` aborts when the queue gave the job back (shutdown): its outcome must not be stored. */
export type JobHandler = (job: JobData, progress: (fraction: number, phase: string) => void, abandoned?: AbortSignal) => Promise<void>;

export interface JobQueue {
  /** Queues a job; the same job (kind, schedule, report) queued again while it exists is a no-op. */
  enqueue(job: JobData): Promise<void>;
  /** Starts consuming jobs in this process. */
  work(handler: JobHandler, concurrency: number): void;
  ping(): Promise<void>;
  /** Stops taking jobs and waits (up to the grace) for running ones; the rest are recovered elsewhere. */
  close(graceMs: number): Promise<void>;
}
