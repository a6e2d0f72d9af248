import type { Assistant, ScheduleRequest, SickLeaveRequest } from '../solver/request.ts';
import type { ExternalBooking, ScheduleResult } from '../solver/result.ts';
import type { Ordning, TimesheetEntry } from './ordning/schemas.ts';
import type { ListPage, ListQuery } from './store/paging.ts';

/** The two ports the API and the workers meet at; embedded and Redis adapters implement both. */

/** A port that cannot take the call just now (Redis away, queue closing): the API answers 503. */
export class Unavailable extends Error {}

export type ScheduleStatus = 'queued' | 'solving' | 'completed' | 'failed';
export type JobKind = 'plan' | 'sick-leave';

export interface ScheduleRecord {
  id: string;
  /** The request's `ordning.id`, kept on the record for listing (absent on records stored before it was). */
  ordningId?: string;
  status: ScheduleStatus;
  createdAt: string;
  updatedAt: string;
  progress?: { fraction: number; phase: string };
  error?: { code: string; message: string };
  /** Highest stored result version, 0 before the first. */
  version: number;
  /** How many sick-leave reports that version includes (0 or absent for a first plan). */
  sickLeaves?: number;
  /**
   * When a cancel was asked for (POST /schedules/{id}/cancel): the job running it stops its solve
   * and saves the best plan so far; a job not yet started does not start. Cleared when a plan is
   * saved or the schedule is queued again.
   */
  cancelRequestedAt?: string;
  /** The tenant that created it (absent: `local`, src/tenancy/). Never shown to clients. */
  tenantId?: string;
}

/** What `update` may change; a field given as undefined is cleared. */
export type RecordPatch = Partial<Pick<ScheduleRecord, 'status' | 'progress' | 'error' | 'cancelRequestedAt'>>;

/** What a job read before solving; a save only lands when neither has moved since. */
export interface Basis { version: number; sickLeaves: number }

export type CreateOutcome = { kind: 'created'; record: ScheduleRecord } | { kind: 'existing'; record: ScheduleRecord } | { kind: 'conflict' };

export interface ScheduleStore {
  /** Stores a new schedule; with an idempotency key, atomically answers the earlier one or a conflict. */
  create(input: ScheduleRequest, idempotency?: { key: string; bodyHash: string }, tenantId?: string): Promise<CreateOutcome>;
  get(id: string): Promise<ScheduleRecord | null>;
  /** One page of schedules, newest first, filtered by ordning and status (src/store/paging.ts). */
  list(query: ListQuery): Promise<ListPage>;
  getInput(id: string): Promise<ScheduleRequest | null>;
  update(id: string, patch: RecordPatch): Promise<void>;
  /**
   * Appends a result as the next version and marks the schedule completed, in one atomic step and
   * only while the latest version is still `basis.version` and exactly `basis.sickLeaves` reports
   * are stored: so a result read from an older version, or missing a report accepted meanwhile, is
   * never saved. Answers the new version, or null when the schedule moved on or is gone.
   */
  saveResult(id: string, result: ScheduleResult, basis: Basis): Promise<number | null>;
  /** Marks the schedule completed under the same condition, without a new version (nothing left to plan). */
  markCurrent(id: string, basis: Basis): Promise<boolean>;
  getVersion(id: string, version: number): Promise<ScheduleResult | null>;
  delete(id: string): Promise<boolean>;
  /**
   * Appends a sick-leave report, atomically answering how many reports there are now and the latest
   * version then: the report is in the next version saved (version + 1), by the check above.
   */
  addSickLeave(id: string, sick: SickLeaveRequest): Promise<{ count: number; version: number }>;
  /** Every sick-leave report of the schedule, in the order they were accepted. */
  sickLeaves(id: string): Promise<SickLeaveRequest[]>;
  /** Runs `fn` while no other job of this schedule runs (across processes in Redis mode). */
  exclusive<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Undoes a create whose request then failed, and frees its idempotency key. One write, sent at
   * once without a read first: to a Redis that hangs it goes right behind the writes it undoes.
   */
  undoCreate(id: string, idempotencyKey?: string, ordningId?: string, tenantId?: string): Promise<void>;
  /** The schedule's reading-link generation (0 until a revoke): part of every link's signature. */
  linkGeneration(id: string): Promise<number>;
  /** Revokes every earlier reading link of the schedule; answers the new generation. */
  bumpLinkGeneration(id: string): Promise<number>;
  /**
   * The secret reading links are signed with when LINK_SECRET is not set: random per process in the
   * embedded store, created once and shared by every process in Redis.
   */
  linkSecret(): Promise<string>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A shared pool of assistants across ordninger, with every shift they are booked for. */
export interface PoolStore {
  /**
   * Registers or updates a member. A new member is refused ('full') when the pool holds `maxMembers`
   * already, or ('no-room') when it would be a new pool in a store that holds its most pools.
   */
  putMember(poolId: string, member: Assistant, maxMembers?: number): Promise<'created' | 'updated' | 'full' | 'no-room'>;
  members(poolId: string): Promise<Assistant[]>;
  /** Removes a member (call under `exclusive`, so that no booking of them lands meanwhile); false when there was none. */
  removeMember(poolId: string, memberId: string): Promise<boolean>;
  bookings(poolId: string): Promise<ExternalBooking[]>;
  /**
   * Replaces one schedule's bookings in the pool, atomically: refused (false) when a new booking
   * overlaps, or comes within the daily rest of, another schedule's booking of the same assistant.
   * The rest is the stricter of the two bookings' own `minDailyRestHours` (the law's 11 h where a
   * booking does not say), so no ordning's weaker override shortens another's.
   */
  book(poolId: string, scheduleId: string, bookings: ExternalBooking[]): Promise<boolean>;
  /** Removes every booking of one schedule (a deleted schedule books no one). */
  release(poolId: string, scheduleId: string): Promise<void>;
  /** Runs `fn` while no other re-plan in the same pool runs (across processes in Redis mode). */
  exclusive<T>(poolId: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while no other first plan in the pool reads and makes its claim. A lock of its own:
   * a check-and-book, or a solve under `exclusive` after repeated clashes, does not hold up the
   * first plans that start meanwhile.
   */
  claiming<T>(poolId: string, fn: () => Promise<T>): Promise<T>;
  /**
   * A first plan in flight claims the members it will likely take (solver/pool-claims.ts), so
   * solves that start meanwhile reach for others first. Advisory only: nothing is refused for a
   * claim. It lapses after `ttlMs`, should its solve die before it is withdrawn.
   */
  claim(poolId: string, scheduleId: string, memberIds: string[], ttlMs: number): Promise<void>;
  /** The claims in force: schedule id -> members claimed. */
  claims(poolId: string): Promise<Map<string, string[]>>;
  unclaim(poolId: string, scheduleId: string): Promise<void>;
}

/**
 * `sickLeave`: the report's number, which keeps each report's job distinct in the queue; the job
 * itself applies every report the latest version lacks.
 */
export interface JobData { scheduleId: string; kind: JobKind; sickLeave?: number; tenantId?: string }
/** `abandoned` aborts when the queue gave the job back (shutdown): its outcome must not be stored. */
export type JobHandler = (job: JobData, progress: (fraction: number, phase: string) => void, abandoned?: AbortSignal) => Promise<void>;

export interface JobQueue {
  /** Queues a job; the same job (kind, schedule, report) queued again while it exists is a no-op. */
  enqueue(job: JobData): Promise<void>;
  /**
   * Starts consuming jobs in this process. `giveUp` hears of a job the queue will not start again
   * (started `maxStarts` times without finishing: its solves kept taking their process down).
   */
  work(handler: JobHandler, concurrency: number, giveUp?: (job: JobData, reason: string) => Promise<void>): void;
  ping(): Promise<void>;
  /** How many jobs are in each state now (for /metrics; waiting + delayed is the queue's depth). */
  counts(): Promise<JobCounts>;
  /** Stops taking jobs and waits (up to the grace) for running ones; the rest are recovered elsewhere. */
  close(graceMs: number): Promise<void>;
}

export interface JobCounts { waiting: number; active: number; delayed: number; completed: number; failed: number }

/** One completion notice to one URL (src/notices/): the same `deliveryId` on every try. */
/** `tenantId`: set on a tenant's own callback, which is signed with its key (src/notices/signature.ts tenantSecret). */
export interface Delivery { deliveryId: string; url: string; body: string; tenantId?: string }

/**
 * Deliveries of completion notices, at least once: each is stored before `add` resolves (Redis) or
 * held in this process (embedded), and tried until `attempt` answers `done` or the tries run out,
 * with a delay doubling from the first.
 */
export interface NoticeQueue {
  add(delivery: Delivery): Promise<void>;
  /** Starts delivering in this process. */
  work(attempt: (delivery: Delivery) => Promise<'done' | 'retry'>): void;
  close(): Promise<void>;
}

/**
 * Ordninger that live across plans: the vedtak, the assistants, the timesheet of hours worked and
 * the schedules made for them. The timesheet is written whole under a revision, so the overlap check
 * and the write are one atomic step however many API processes write (ordning/timesheet.ts).
 */
export interface OrdningStore {
  /** 'no-room': a new ordning in a store that holds its most ordninger (the embedded one). */
  put(ordning: Ordning): Promise<'created' | 'updated' | 'no-room'>;
  get(id: string): Promise<Ordning | null>;
  /** Removes the ordning, its timesheet and its schedule links. */
  delete(id: string): Promise<boolean>;
  timesheet(id: string): Promise<{ revision: number; entries: TimesheetEntry[] }>;
  /** Replaces the timesheet only while the ordning exists and its revision is still `revision`. */
  saveTimesheet(id: string, revision: number, entries: TimesheetEntry[]): Promise<boolean>;
  /** Remembers a schedule made for the ordning (its plans count as planned hours). */
  linkSchedule(id: string, scheduleId: string): Promise<void>;
  schedules(id: string): Promise<string[]>;
}

export type Scope = 'read' | 'write';

/** A tenant's API key as stored: the key itself is kept only as its SHA-256 hash. */
export interface ApiKey { id: string; tenantId: string; scopes: Scope[]; label?: string; createdAt: string }

/** Who did what to which id, and when; never a body. `keyId` is `admin` for the admin key. */
export interface AuditEntry { at: string; tenantId: string; keyId: string; action: string; targetId: string }

/** API keys, the audit log and the rate-limit windows (src/access/). */
export interface AccessStore {
  addKey(key: ApiKey, hash: string): Promise<void>;
  keyByHash(hash: string): Promise<ApiKey | null>;
  /** Removes the key; answers it, or null when there was none. */
  revokeKey(id: string): Promise<ApiKey | null>;
  audit(entry: AuditEntry): Promise<void>;
  /** Newest first, a page at a time; `cursor` is an earlier page's `next`. */
  auditLog(query: { tenantId?: string; cursor?: string; limit: number }): Promise<{ entries: AuditEntry[]; next: string | null }>;
  /** Counts one request in `bucket` (a key's id, or `link:<scheduleId>`) in the current fixed window; answers the count so far and the seconds left in it. */
  hit(bucket: string, windowSeconds: number): Promise<{ count: number; resetSeconds: number }>;
}
