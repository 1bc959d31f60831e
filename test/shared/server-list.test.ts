import { describe, expect, it } from 'vitest';
import { passwordTargetOf, sameTarget } from '../../shared/password-target.ts';
import { MAX_SERVERS, normalServerList, parseServerList } from '../../shared/server-list.ts';
import { DEFAULT_SETTINGS, settingsProblems } from '../../shared/settings.ts';

describe('the Server setting as a list of domain controllers', () => {
  it('takes host names and addresses separated by commas, semicolons or spaces, in order, once each', () => {
    expect(parseServerList('dc1.corp.example.com, dc2.corp.example.com  10.0.0.3;[fd00::4]')).toEqual({
      ok: true,
      hosts: ['dc1.corp.example.com', 'dc2.corp.example.com', '10.0.0.3', 'fd00::4'],
    });
    expect(parseServerList('DC1.corp.example.com,dc1.corp.example.com')).toEqual({
      ok: true,
      hosts: ['DC1.corp.example.com'],
    });
    expect(parseServerList('  ')).toEqual({ ok: true, hosts: [] });
  });

  it('names the entry that is not a host, and refuses more than the limit', () => {
    expect(parseServerList('dc1, dc_2!')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/"dc_2!" is not a valid host name .*in the list of servers/),
    });
    expect(parseServerList(Array.from({ length: MAX_SERVERS + 1 }, (_, i) => `dc${i}`).join(','))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/at most 16/),
    });
    expect(settingsProblems({ ...DEFAULT_SETTINGS, login: 'CORP\\svc', server: 'dc1, 999.1.1.1' })).toEqual([
      { field: 'server', message: expect.stringMatching(/^Server: "999\.1\.1\.1" is not a valid IPv4 address/) },
    ]);
  });

  it('is one password target however it is spelled, and a new one when a server is added', () => {
    const target = (server: string) => passwordTargetOf({ ...DEFAULT_SETTINGS, login: 'CORP\\svc', server });
    expect(sameTarget(target('dc1.corp.test, dc2.corp.test'), target('DC1.corp.test dc2.corp.test'))).toBe(true);
    expect(sameTarget(target('dc1.corp.test'), target('dc1.corp.test, dc3.corp.test'))).toBe(false);
    expect(normalServerList(' DC1 ;dc2 ')).toBe('dc1, dc2');
  });
});
