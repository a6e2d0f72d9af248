import { z } from 'zod';

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

/** Every setting comes from the environment and is checked once, at start. */
const ConfigSchema = z.object({
  PORT: int(3000, 0).pipe(z.number().max(65535)), // 0: any free port
  /** `npm run worker` only: serve /metrics (and /healthz) on this port, so each worker process is scraped. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Unset: 0.0.0.0 with API keys (ADMIN_KEY), 127.0.0.1 without (src/access/startup.ts). */
  HOST: z.string().optional(),
  REDIS_URL: z.string().url().optional(),
  /** Key prefix for everything this service keeps in Redis (queue and store). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:_-]+$/).default('bpa-turnus'),
  /** How long an API request waits for one Redis command before it answers 503. */
  REDIS_COMMAND_TIMEOUT_MS: int(500, 50),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WORKER_CONCURRENCY: int(1, 1),
  BODY_LIMIT_BYTES: int(5 * 1024 * 1024, 1024),
  /** Finished queue jobs kept for inspection (the results themselves live in the store). */
  JOB_RETENTION_COUNT: int(1000),
  /** How long a worker holds a job before it counts as stalled, and how often stalls are checked. */
  JOB_LOCK_MS: int(30_000, 1000),
  JOB_STALLED_INTERVAL_MS: int(30_000, 500),
  /** Starts of one job before it is failed for good (each crash or hand-back is a start). */
  JOB_MAX_STARTS: int(5, 1),
  /** Heap of one planner thread in MB: a solve past it fails alone (measured ~40 KB per choice). */
  PLANNER_HEAP_MB: int(1536, 64),
  /** Largest model admitted, in shift-assistant choices (src/planner/admission.ts). */
  PLANNER_MAX_CHOICES: int(12_000, 1),
  /** How long past its time limit, or past a cancel, a solve may take to answer before its thread is killed. */
  PLANNER_KILL_GRACE_MS: int(2_000, 100),
  /** Small turnuses each planner thread solves before it takes work (solver/warm-up.ts); 0 starts it cold. */
  PLANNER_WARM_UP_SOLVES: int(2, 0),
  /** How long a SIGTERM waits for running solves before leaving them to stalled-job recovery. */
  SHUTDOWN_GRACE_MS: int(30_000, 0),
  /**
   * Signs the reading links of the views (src/views/links.ts). Unset: a random secret per process in
   * embedded mode (links die with a restart), one stored in Redis in Redis mode.
   */
  LINK_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  /** Guards the admin routes and turns API keys on (src/http/auth.ts); or read from ADMIN_KEY_FILE. */
  ADMIN_KEY: z.string().min(32, 'use at least 32 characters').optional(),
  /** A file holding the admin key; in embedded mode a missing one is created with a random key. */
  ADMIN_KEY_FILE: z.string().optional(),
  /** For tests and development only: serve on any address, and in Redis mode, without API keys. */
  OPEN_WITHOUT_KEYS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Requests per API key per minute (fixed window, shared through Redis in Redis mode). */
  RATE_LIMIT_PER_MINUTE: int(600, 1),
  /** Views opened by a signed link (no key): requests per schedule per minute, every link of it together. */
  LINK_RATE_LIMIT_PER_MINUTE: int(120, 1),
  /** How long a schedule (and an idle ordning or pool) is kept; RETENTION_SECONDS overrides it (tests). */
  RETENTION_DAYS: int(400, 1),
  RETENTION_SECONDS: z.coerce.number().int().min(1).optional(),
  /** Most schedules the embedded store holds; past it the oldest finished ones are evicted. */
  MAX_SCHEDULES_IN_MEMORY: int(200, 1),
  /** Most pools the embedded store holds; past it a new pool is refused (409). */
  MAX_POOLS_IN_MEMORY: int(200, 1),
  /** Most ordninger the embedded store holds; past it a new ordning is refused (409). */
  MAX_ORDNINGER_IN_MEMORY: int(1000, 1),
  /** Most members one pool holds, in both modes; past it a new member is refused (409). */
  POOL_MAX_MEMBERS: int(300, 1),
  /** Comma-separated origins a browser app may call the API from (CORS); unset: none. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s,]+$/, 'expected origins like https://portal.example.no, comma-separated'))),
  /** A URL every completion notice also goes to (src/notices/); its host must be in WEBHOOK_ALLOWED_HOSTS. */
  WEBHOOK_URL: z.string().url().optional(),
  /** Signs every notice (X-Turnus-Signature); required when any webhook may be sent. */
  WEBHOOK_SECRET: z.string().min(32, 'use at least 32 characters').optional(),
  /** Comma-separated host names notices may go to; unset: no webhooks at all (a callbackUrl answers 400). */
  WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)),
  /** Lets notices go to private, loopback and link-local addresses (tests, a receiver on the same network). */
  WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Tries of one delivery (the first and its retries), and the first retry's delay, doubling after. */
  WEBHOOK_ATTEMPTS: int(8, 1),
  WEBHOOK_BACKOFF_MS: int(5_000, 10),
  /** How often an open event stream (GET /schedules/{id}/events) sends a heartbeat comment. */
  EVENTS_HEARTBEAT_MS: int(15_000, 100),
});

export type Config = z.infer<typeof ConfigSchema>;

/** How long personal data is kept, in seconds. */
export const retentionSeconds = (config: Pick<Config, 'RETENTION_DAYS' | 'RETENTION_SECONDS'>) => config.RETENTION_SECONDS ?? config.RETENTION_DAYS * 86_400;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const webhooks = parsed.data.WEBHOOK_ALLOWED_HOSTS.length > 0 || parsed.data.WEBHOOK_URL !== undefined;
  if (webhooks && !parsed.data.WEBHOOK_SECRET) throw new Error('invalid configuration: WEBHOOK_SECRET: required when WEBHOOK_ALLOWED_HOSTS or WEBHOOK_URL is set');
  return parsed.data;
}
