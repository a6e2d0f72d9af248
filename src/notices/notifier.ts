import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OutcomeSchema } from '../../solver/result.ts';
import type { Delivery, NoticeQueue } from '../ports.ts';
import type { Logger } from '../logger.ts';
import { checkDestination, checkUrl, type DestinationPolicy } from './destination.ts';
import { deliverOnce, type DeliveryResult } from './delivery.ts';
import { tenantSecret } from './signature.ts';
import { LOCAL_TENANT, tenantIfAny } from '../tenancy/context.ts';

/** What a receiver gets: ids and figures only, never a name (the receiver reads the plan itself). */
export const NoticeSchema = z
  .object({
    event: z.enum(['schedule.completed', 'schedule.failed']),
    scheduleId: z.string(),
    status: z.enum(['completed', 'failed']),
    /** The version the job saved (a re-plan after sick leave: each new one); the latest stored when it failed. */
    version: z.number().int().min(0),
    /** The saved plan's outcome; null for a failed job. */
    outcome: OutcomeSchema.nullable(),
    at: z.string(),
  })
  .meta({ id: 'Notice' });
export type Notice = z.infer<typeof NoticeSchema>;

export interface NoticeSettings extends DestinationPolicy {
  secret?: string;
  /** WEBHOOK_URL: every notice goes there too. */
  deploymentUrl?: string;
}

export interface Notifier {
  /** True when webhooks are on (WEBHOOK_ALLOWED_HOSTS set). */
  readonly enabled: boolean;
  /** Null when a client's callbackUrl may be used, else why not (the POST answers 400 with it). */
  checkCallback(url: string): Promise<string | null>;
  /**
   * Queues the notice to the schedule's callback and WEBHOOK_URL; resolves once each is queued.
   * `occasion` tells apart two notices of one version and event (two failures of a re-plan).
   */
  notify(notice: Notice, callbackUrl?: string, occasion?: string): Promise<void>;
  /** Starts delivering queued notices in this process. */
  deliver(): void;
  /** The key a tenant's callbacks are signed with; null when webhooks are off or there are no tenants (WEBHOOK_SECRET signs all). */
  secretOf(tenantId: string): string | null;
}

/** Checked once at start: a WEBHOOK_URL that its own allow-list refuses is a configuration error. */
export function deploymentUrlProblem(settings: NoticeSettings): string | null {
  if (!settings.deploymentUrl) return null;
  const checked = checkUrl(settings.deploymentUrl, settings);
  return checked.ok ? null : `WEBHOOK_URL: ${checked.reason}`;
}

export function createNotifier(settings: NoticeSettings, queue: NoticeQueue, log: Logger, counted: (result: DeliveryResult) => void = () => {}): Notifier {
  const enabled = settings.allowedHosts.length > 0 && settings.secret !== undefined;
  const attempt = async (delivery: Delivery): Promise<'done' | 'retry'> => {
    const { result, status } = await deliverOnce(delivery, { policy: settings, secret: settings.secret! });
    counted(result);
    // The delivery id, never the URL: a callback URL may carry the receiver's own token.
    log.info({ deliveryId: delivery.deliveryId, result, status }, 'notice delivery');
    return result === 'failed' ? 'retry' : 'done';
  };
  return {
    enabled,
    async checkCallback(url) {
      const checked = await checkDestination(url, settings);
      return checked.ok ? null : checked.reason;
    },
    async notify(notice, callbackUrl, occasion = '') {
      if (!enabled) return;
      const body = JSON.stringify(NoticeSchema.parse(notice));
      // WEBHOOK_URL is the operator's, signed with WEBHOOK_SECRET; a tenant's callback carries the tenant's signature.
      const tenant = tenantIfAny();
      const own = tenant !== undefined && tenant !== LOCAL_TENANT ? { tenantId: tenant } : {};
      const deliveries: { url: string; tenantId?: string }[] = [
        ...(settings.deploymentUrl ? [{ url: settings.deploymentUrl }] : []),
        ...(callbackUrl && callbackUrl !== settings.deploymentUrl ? [{ url: callbackUrl, ...own }] : []),
      ];
      await Promise.all(deliveries.map((d) => queue.add({ deliveryId: deliveryId(notice, occasion, d.url), body, ...d })));
    },
    deliver: () => {
      if (enabled) queue.work(attempt);
    },
    secretOf: (tenantId) => (enabled && tenantId !== LOCAL_TENANT ? tenantSecret(settings.secret!, tenantId) : null),
  };
}

/**
 * The same notice to the same URL always gets the same delivery id: a job run again after a crash
 * queues it again, and the queue (job id) and the receiver (X-Turnus-Delivery) both see a repeat.
 */
function deliveryId(notice: Notice, occasion: string, url: string): string {
  const h = createHash('sha256').update(`${notice.scheduleId}\n${notice.event}\n${notice.version}\n${occasion}\n${url}`).digest('hex');
  // Shaped as a UUID (version 5 style: name-based), which receivers already store.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A client's callbackUrl travels with its stored request (so every process that runs the job can
 * read it); the solver ignores the field.
 */
export const callbackOf = (input: object): string | undefined => {
  const url = (input as { callbackUrl?: unknown }).callbackUrl;
  return typeof url === 'string' ? url : undefined;
};
