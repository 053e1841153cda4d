import { HeimdallError } from '../../src/core/errors';

/**
 * Which receivers the relay may contact. The relay connects only to hosts the operator listed,
 * so it can never be used as an open proxy to arbitrary addresses.
 *
 * Entry syntax: `host:port` or `host:*` (any port), where host is a DNS name, an IPv4 address or
 * an IPv6 address in brackets (`[2001:db8::1]:8073`). Hosts are compared after WHATWG URL
 * normalisation (lower case, IPv4 and IPv6 in canonical form: `127.1` is `127.0.0.1`, `[0::1]`
 * is `[::1]`), so a listed address cannot be dodged by writing it another way. Names are matched
 * as names, not resolved: the operator vouches for what a listed name points to.
 */

export interface AllowEntry {
  /** Normalised host; IPv6 in brackets. */
  host: string;
  port: number | '*';
}

export type AllowList = readonly AllowEntry[];

const NAME_OR_IPV4 = /^[A-Za-z0-9._-]+$/;
const BRACKETED_IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
const MAX_PORT = 65535;

/**
 * Canonical form of a host name or address, or undefined when it is not one. IPv6 may come with
 * or without brackets; it comes back in brackets. Userinfo, paths and other URL syntax are
 * refused before URL parsing so that `good@evil` cannot normalise into something else.
 */
export function normalizeHost(host: string): string | undefined {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  if (!NAME_OR_IPV4.test(h) && !BRACKETED_IPV6.test(h)) return undefined;
  try {
    const normalized = new URL(`ws://${h}/`).hostname;
    return normalized.endsWith('.') ? normalized.slice(0, -1) : normalized;
  } catch {
    return undefined;
  }
}

function parsePort(text: string): number | '*' | undefined {
  if (text === '*') return '*';
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= MAX_PORT ? port : undefined;
}

function parseEntry(raw: string, source: string): AllowEntry {
  const entry = raw.trim();
  function bad(why: string): never {
    throw new HeimdallError(
      'ConfigError',
      `allow-list entry ${JSON.stringify(raw)}: ${why}`,
      source,
    );
  }
  let hostPart: string;
  let portPart: string;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0 || entry[close + 1] !== ':') bad('write IPv6 as [address]:port or [address]:*');
    hostPart = entry.slice(0, close + 1);
    portPart = entry.slice(close + 2);
  } else {
    const colon = entry.lastIndexOf(':');
    if (colon < 0) bad('missing port (write host:8073, or host:* for any port)');
    hostPart = entry.slice(0, colon);
    portPart = entry.slice(colon + 1);
    if (hostPart.includes(':')) bad('write IPv6 addresses in brackets, e.g. [::1]:8073');
  }
  const host = normalizeHost(hostPart);
  if (host === undefined || host === '')
    bad(`${JSON.stringify(hostPart)} is not a host name or address`);
  const port = parsePort(portPart);
  if (port === undefined) bad(`port ${JSON.stringify(portPart)} is not 1..${MAX_PORT} or *`);
  return { host, port };
}

/** Parse the operator's entries; throws ConfigError naming the first bad entry. */
export function parseAllowList(entries: readonly string[], source = 'live allow-list'): AllowList {
  return entries.filter((e) => e.trim() !== '').map((e) => parseEntry(e, source));
}

export function isAllowed(list: AllowList, host: string, port: number): boolean {
  const h = normalizeHost(host);
  if (h === undefined || !Number.isInteger(port) || port < 1 || port > MAX_PORT) return false;
  return list.some((e) => e.host === h && (e.port === '*' || e.port === port));
}
