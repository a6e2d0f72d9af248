import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a completion notice may go. A callback URL is chosen by a client, so without these checks
 * the service would post on its behalf into the network it runs in (SSRF): only hosts the operator
 * allowed, only addresses on the public internet unless the operator allows private ones too, and
 * the connection goes to the very address checked (src/notices/delivery.ts pins it).
 */

export interface DestinationPolicy {
  /** Host names (or literal addresses) notices may go to; empty: none at all. */
  allowedHosts: string[];
  /** Private, loopback, link-local and unique-local addresses allowed too. */
  allowPrivate: boolean;
}

/** A destination that passed every check, with the address to connect to. */
export interface Destination { url: URL; address: string; family: 4 | 6 }

export type Checked = { ok: true; destination: Destination } | { ok: false; reason: string };

/** Addresses no notice goes to without WEBHOOK_ALLOW_PRIVATE: not on the public internet, or a cloud's metadata service. */
const INTERNAL = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) INTERNAL.addSubnet(net, bits, 'ipv6');

/** IPv4 written as IPv6 (::ffff:10.0.0.1) is checked as the IPv4 address it is. */
function plainAddress(address: string): { address: string; family: 4 | 6 } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: 4 };
  return { address, family: isIP(address) === 6 ? 6 : 4 };
}

/** Cloud metadata services: refused even with WEBHOOK_ALLOW_PRIVATE, since they hand out credentials. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);
export const isMetadata = (address: string) => METADATA.has(plainAddress(address).address.toLowerCase());

export function isInternal(address: string): boolean {
  const plain = plainAddress(address);
  return INTERNAL.check(plain.address, plain.family === 6 ? 'ipv6' : 'ipv4');
}

/** A POST waits this long for the callback's host to resolve (the system resolver may take far longer). */
const LOOKUP_TIMEOUT_MS = 3_000;

function withinTime<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('lookup timed out')), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The host as listed in WEBHOOK_ALLOWED_HOSTS: lower case, IPv6 without brackets. */
const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/** The checks that need no lookup: a URL, https or http, no credentials in it, an allowed host. */
export function checkUrl(raw: string, policy: DestinationPolicy): { ok: true; url: URL } | { ok: false; reason: string } {
  if (policy.allowedHosts.length === 0) return { ok: false, reason: 'webhooks are off on this service (WEBHOOK_ALLOWED_HOSTS is unset)' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'use an https (or http) URL' };
  if (url.username || url.password) return { ok: false, reason: 'a callback URL may not carry credentials' };
  if (!policy.allowedHosts.includes(hostOf(url))) return { ok: false, reason: 'the host is not in this service\'s WEBHOOK_ALLOWED_HOSTS' };
  return { ok: true, url };
}

/**
 * Every check, the lookup included: the host resolves, and each of its addresses is allowed (one
 * internal address among public ones is refused, since the lookup at connect time could pick it).
 */
export async function checkDestination(raw: string, policy: DestinationPolicy): Promise<Checked> {
  const shape = checkUrl(raw, policy);
  if (!shape.ok) return shape;
  const host = hostOf(shape.url);
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await withinTime(lookup(host, { all: true, verbatim: true }), LOOKUP_TIMEOUT_MS);
  } catch {
    return { ok: false, reason: 'the host does not resolve' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'the host does not resolve' };
  if (addresses.some((a) => isMetadata(a.address))) return { ok: false, reason: 'the host resolves to a cloud metadata address' };
  if (!policy.allowPrivate && addresses.some((a) => isInternal(a.address)))
    return { ok: false, reason: 'the host resolves to a private, loopback, link-local or metadata address' };
  const first = plainAddress(addresses[0]!.address);
  return { ok: true, destination: { url: shape.url, ...first } };
}
