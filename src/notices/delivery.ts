import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Delivery } from '../ports.ts';
import { checkDestination, type Destination, type DestinationPolicy } from './destination.ts';
import { signature, tenantSecret } from './signature.ts';

/** A receiver that has not answered within this is taken as failed (and tried again). */
export const DELIVERY_TIMEOUT_MS = 5_000;

/**
 * One try: `delivered` (2xx), `gone` (410: the receiver wants no more), `refused` (the destination
 * failed its checks now), `failed` (anything else: tried again later).
 */
export type DeliveryResult = 'delivered' | 'gone' | 'refused' | 'failed';


export interface DeliverDeps { policy: DestinationPolicy; secret: string; timeoutMs?: number }

/** Posts one notice, after checking its destination again now (DNS may have changed since the request). */
export async function deliverOnce(delivery: Delivery, deps: DeliverDeps): Promise<{ result: DeliveryResult; status?: number }> {
  const checked = await checkDestination(delivery.url, deps.policy);
  if (!checked.ok) return { result: 'refused' };
  const status = await postPinned(checked.destination, delivery, deps).catch(() => undefined);
  if (status === undefined) return { result: 'failed' };
  if (status >= 200 && status < 300) return { result: 'delivered', status };
  return { result: status === 410 ? 'gone' : 'failed', status };
}

/**
 * The connection goes to the address just checked, whatever the host resolves to by now (no DNS
 * rebinding); TLS still verifies the certificate against the host name. Redirects are not followed:
 * a 3xx is a failure like any other non-2xx.
 */
export function postPinned(destination: Destination, delivery: Delivery, deps: DeliverDeps): Promise<number> {
  const { url, address, family } = destination;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const options: RequestOptions = {
    method: 'POST',
    lookup: pinned,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(delivery.body),
      'user-agent': 'bpa-turnus-notices',
      'x-turnus-delivery': delivery.deliveryId,
      'x-turnus-signature': signature(delivery.tenantId ? tenantSecret(deps.secret, delivery.tenantId) : deps.secret, delivery.body, Math.floor(Date.now() / 1000)),
    },
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      res.resume(); // the receiver's body is not read, only its status
      resolve(res.statusCode ?? 0);
    });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), deps.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    req.on('error', reject);
    req.on('close', () => clearTimeout(timer));
    req.end(delivery.body);
  });
}
