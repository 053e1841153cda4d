/**
 * Which `Host` header values the server answers. A DNS-rebinding page (evil.example re-pointed at
 * 127.0.0.1 after it loaded) talks to us from its own origin, so the browser treats it as
 * same-origin with us; the only sign left is the Host header, which names the attacker's domain.
 * Refusing every Host that is not one of our own names closes that door for every route, the
 * live WebSocket included.
 *
 * What is accepted (`port` is the port the server listens on):
 * - listening on a loopback address (127.0.0.1, ::1, localhost): `127.0.0.1:port`,
 *   `localhost:port`, `[::1]:port`;
 * - listening on all interfaces (0.0.0.0 or ::): those, plus the machine's host name and every
 *   address of its network interfaces (re-read once a minute), with `:port`;
 * - listening on one other address or name: that address or name, with `:port`;
 * - always: the operator's allow-list (`--allowed-host NAME` or `NAME:PORT`; a NAME alone allows
 *   any port, for a reverse proxy that keeps the public Host).
 * A Host without a port means port 80. Names compare case-insensitively.
 */
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { HeimdallError } from '../src/core/errors';

export interface HostPolicyOptions {
  /** The address or name the server listens on (its --host). */
  listenHost: string;
  /** Extra names the operator allows: `name`, `name:port`, `[v6]`, `[v6]:port`. */
  allowedHosts?: readonly string[];
  /**
   * The port the server listens on, read when a request arrives (the OS picks it for port 0).
   * Undefined while the server is not listening (requests injected in tests): any port matches.
   */
  port: () => number | undefined;
}

export interface HostPolicy {
  allows(hostHeader: string | undefined): boolean;
  /** The accepted names, for the start-up log line. */
  describe(): string[];
}

interface ParsedHost {
  name: string;
  port?: number;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const LOOPBACK_LISTEN = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]', '']);
/** How long the interface addresses are kept before being read again (DHCP, a new network). */
const INTERFACES_TTL_MS = 60_000;

/** `name[:port]` or `[v6][:port]`, as in a Host header; names lower-cased. Undefined if malformed. */
export function parseHost(text: string): ParsedHost | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (!m) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  return { name: m[1].toLowerCase(), ...(port === undefined ? {} : { port }) };
}

/** A listen address as it appears in a Host header: IPv6 in brackets. */
function asHostName(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  return bare.includes(':') ? `[${bare}]` : bare;
}

function machineNames(): string[] {
  const names = new Set<string>([...LOOPBACK_NAMES, osHostname().toLowerCase()]);
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      // A link-local IPv6 address needs a zone id, which a Host header cannot carry.
      if (info.family === 'IPv6' && info.scopeid) continue;
      names.add(asHostName(info.address));
    }
  }
  return [...names];
}

/** Parses the operator's allow-list; throws ConfigError naming a malformed entry. */
export function parseAllowedHosts(entries: readonly string[]): ParsedHost[] {
  return entries.map((entry) => {
    // A bare IPv6 address (two or more colons, no brackets) is taken as the address alone.
    const bareV6 = !entry.startsWith('[') && entry.split(':').length > 2;
    const parsed = parseHost(bareV6 ? `[${entry}]` : entry);
    if (!parsed) {
      throw new HeimdallError(
        'ConfigError',
        `--allowed-host ${JSON.stringify(entry)} is not a host name, an address or NAME:PORT`,
      );
    }
    return parsed;
  });
}

export function createHostPolicy(options: HostPolicyOptions): HostPolicy {
  const listen = options.listenHost.trim().toLowerCase();
  const allowList = parseAllowedHosts(options.allowedHosts ?? []);
  const wildcard = ALL_INTERFACES.has(listen);
  let cached: { names: Set<string>; atMs: number } | undefined;

  const ownNames = (): Set<string> => {
    if (!wildcard) {
      return new Set(LOOPBACK_LISTEN.has(listen) ? LOOPBACK_NAMES : [asHostName(listen)]);
    }
    const now = Date.now();
    if (!cached || now - cached.atMs > INTERFACES_TTL_MS) {
      cached = { names: new Set(machineNames()), atMs: now };
    }
    return cached.names;
  };

  return {
    allows(hostHeader) {
      if (hostHeader === undefined) return false;
      const host = parseHost(hostHeader);
      if (!host) return false;
      const requestPort = host.port ?? 80;
      if (allowList.some((a) => a.name === host.name && (a.port ?? requestPort) === requestPort)) {
        return true;
      }
      const port = options.port();
      return ownNames().has(host.name) && (port === undefined || port === requestPort);
    },
    describe() {
      const port = options.port();
      const own = [...ownNames()].map((n) => (port === undefined ? n : `${n}:${port}`));
      return [...own, ...allowList.map((a) => (a.port ? `${a.name}:${a.port}` : `${a.name}:*`))];
    },
  };
}
