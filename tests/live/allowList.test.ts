import { describe, expect, it } from 'vitest';
import { isAllowed, normalizeHost, parseAllowList } from '../../server/live/allowList';

describe('live receiver allow-list', () => {
  const list = parseAllowList([
    'kiwi.example.org:8073',
    ' 192.0.2.10:8074 ',
    '[2001:db8::1]:8073',
    '[::1]:*',
    'Wild.Example.NET:*',
    '',
  ]);

  it('allows listed host:port pairs', () => {
    expect(isAllowed(list, 'kiwi.example.org', 8073)).toBe(true);
    expect(isAllowed(list, 'KIWI.example.org.', 8073)).toBe(true);
    expect(isAllowed(list, '192.0.2.10', 8074)).toBe(true);
    expect(isAllowed(list, '2001:db8::1', 8073)).toBe(true);
    expect(isAllowed(list, '[2001:0db8:0:0::1]', 8073)).toBe(true);
  });

  it('refuses a wrong port, an unlisted host and tricks', () => {
    expect(isAllowed(list, 'kiwi.example.org', 8074)).toBe(false);
    expect(isAllowed(list, '192.0.2.10', 8073)).toBe(false);
    expect(isAllowed(list, 'other.example.org', 8073)).toBe(false);
    expect(isAllowed(list, 'evil.example.com@kiwi.example.org', 8073)).toBe(false);
    expect(isAllowed(list, 'kiwi.example.org/x', 8073)).toBe(false);
    expect(isAllowed(list, 'kiwi.example.org.evil.com', 8073)).toBe(false);
    expect(isAllowed(list, 'kiwi.example.org', 0)).toBe(false);
    expect(isAllowed(list, 'kiwi.example.org', 8073.5)).toBe(false);
    expect(isAllowed(list, '127.0.0.1', 8073)).toBe(false);
  });

  it('handles the IPv6 loopback and port wildcards', () => {
    expect(isAllowed(list, '::1', 8073)).toBe(true);
    expect(isAllowed(list, '[::1]', 65535)).toBe(true);
    expect(isAllowed(list, '0:0:0:0:0:0:0:1', 1)).toBe(true);
    expect(isAllowed(list, 'wild.example.net', 12345)).toBe(true);
    expect(isAllowed(parseAllowList(['127.0.0.1:*']), '::1', 8073)).toBe(false);
  });

  it('compares IPv4 in canonical form', () => {
    const v4 = parseAllowList(['127.0.0.1:8073']);
    expect(isAllowed(v4, '127.1', 8073)).toBe(true);
    expect(normalizeHost('0x7f.0.0.1')).toBe('127.0.0.1');
  });

  it('rejects malformed entries, naming them', () => {
    expect(() => parseAllowList(['kiwi.example.org'])).toThrow(/"kiwi.example.org": missing port/);
    expect(() => parseAllowList(['::1:8073'])).toThrow(/brackets/);
    expect(() => parseAllowList(['[::1]8073'])).toThrow(/\[address\]:port/);
    expect(() => parseAllowList(['kiwi.example.org:0'])).toThrow(/port "0"/);
    expect(() => parseAllowList(['kiwi.example.org:70000'])).toThrow(/port "70000"/);
    expect(() => parseAllowList(['user@kiwi.example.org:8073'])).toThrow(/not a host/);
    expect(() => parseAllowList([':8073'])).toThrow(/not a host/);
    expect(() => parseAllowList(['a b:8073'], 'config.json')).toThrow(/^config.json: /);
  });
});
