import { hostname, networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createHostPolicy, parseHost } from '../../server/hostPolicy';
import { isHeimdallError } from '../../src/core/errors';

const PORT = 8080;
const policy = (listenHost: string, allowedHosts: string[] = []) =>
  createHostPolicy({ listenHost, allowedHosts, port: () => PORT });

describe('host policy', () => {
  it('on a loopback listen address accepts 127.0.0.1, localhost and [::1] on the listening port only', () => {
    for (const listen of ['127.0.0.1', 'localhost', '::1']) {
      const p = policy(listen);
      for (const ok of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', 'LocalHost:8080']) {
        expect(p.allows(ok), `${listen}: ${ok}`).toBe(true);
      }
      for (const bad of [
        'evil.example:8080', // a DNS-rebinding page keeps its own name in Host
        'evil.example',
        '127.0.0.1:8081', // another port
        '127.0.0.1', // port 80
        'localhost.:8080',
        '127.0.0.1.evil.example:8080',
        'localhost:8080@evil.example',
        'localhost:8080, evil.example',
        '',
        'localhost:0',
        'localhost:99999',
      ]) {
        expect(p.allows(bad), `${listen}: ${bad}`).toBe(false);
      }
      expect(p.allows(undefined)).toBe(false);
    }
  });

  it('on all interfaces adds the machine name and its interface addresses, and nothing else', () => {
    const p = policy('0.0.0.0');
    expect(p.allows(`${hostname()}:8080`)).toBe(true);
    expect(p.allows('localhost:8080')).toBe(true);
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !(i.family === 'IPv6' && i.scopeid));
    for (const a of addresses) {
      const name = a!.family === 'IPv6' ? `[${a!.address}]` : a!.address;
      expect(p.allows(`${name}:8080`), name).toBe(true);
    }
    expect(p.allows('evil.example:8080')).toBe(false);
    expect(p.allows(`${hostname()}:9090`)).toBe(false);
    expect(policy('::').allows('[::1]:8080')).toBe(true);
  });

  it('on one address accepts that address only', () => {
    const p = policy('192.0.2.7');
    expect(p.allows('192.0.2.7:8080')).toBe(true);
    expect(p.allows('localhost:8080')).toBe(false);
    expect(policy('2001:db8::7').allows('[2001:db8::7]:8080')).toBe(true);
  });

  it("adds the operator's allow-list: a name for any port, NAME:PORT for that port", () => {
    const p = policy('127.0.0.1', ['heimdall.example.org', 'Proxy.Example:8443', '2001:db8::9']);
    expect(p.allows('heimdall.example.org')).toBe(true);
    expect(p.allows('heimdall.example.org:443')).toBe(true);
    expect(p.allows('proxy.example:8443')).toBe(true);
    expect(p.allows('proxy.example:8080')).toBe(false);
    expect(p.allows('[2001:db8::9]:1234')).toBe(true);
    expect(p.allows('example.org:8080')).toBe(false);
    expect(p.describe()).toEqual(
      expect.arrayContaining(['localhost:8080', 'heimdall.example.org:*', 'proxy.example:8443']),
    );
  });

  it('matches any port while the server is not listening (requests injected in tests)', () => {
    const p = createHostPolicy({ listenHost: '127.0.0.1', port: () => undefined });
    expect(p.allows('localhost:80')).toBe(true);
    expect(p.allows('evil.example:80')).toBe(false);
  });

  it('refuses a malformed allow-list entry with a ConfigError naming it', () => {
    let caught: unknown;
    try {
      policy('127.0.0.1', ['good.example', 'bad host/x']);
    } catch (err) {
      caught = err;
    }
    expect(isHeimdallError(caught, 'ConfigError')).toBe(true);
    expect((caught as Error).message).toContain('"bad host/x"');
  });

  it('parses Host values the way browsers send them', () => {
    expect(parseHost('Example.ORG:8080')).toEqual({ name: 'example.org', port: 8080 });
    expect(parseHost('[::1]')).toEqual({ name: '[::1]' });
    expect(parseHost('::1')).toBeUndefined();
    expect(parseHost('a b')).toBeUndefined();
  });
});
