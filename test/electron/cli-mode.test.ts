/** When the packaged app runs as bcscmd instead of opening its window. */
import { describe, expect, it } from 'vitest';
import { bcscmdArgumentsOf } from '../../electron/cli-mode.ts';

describe('bcscmdArgumentsOf', () => {
  it('runs bcscmd for Windows-style switches, packaged or in development', () => {
    expect(bcscmdArgumentsOf(['C:\\Program Files\\AD Console\\AD Console.exe', '/LDAP', '/JSON'], false)).toEqual([
      '/LDAP',
      '/JSON',
    ]);
    expect(bcscmdArgumentsOf(['electron', '.', '/TEST'], true)).toEqual(['/TEST']);
    expect(bcscmdArgumentsOf(['app', '/?'], false)).toEqual(['/?']);
    expect(bcscmdArgumentsOf(['app', '/SET:server=dc1', '/LOOKUP:CORP\\alice'], false)).toEqual([
      '/SET:server=dc1',
      '/LOOKUP:CORP\\alice',
    ]);
  });

  it('takes POSIX switches after --bcscmd', () => {
    expect(bcscmdArgumentsOf(['/opt/ad-console/ad-console', '--bcscmd', '--ldap', '--json'], false)).toEqual([
      '--ldap',
      '--json',
    ]);
  });

  it("opens the window for no arguments and for Chromium's own switches", () => {
    expect(bcscmdArgumentsOf(['app'], false)).toBeNull();
    expect(bcscmdArgumentsOf(['electron', '.'], true)).toBeNull();
    expect(bcscmdArgumentsOf(['app', '--no-sandbox', '--enable-logging'], false)).toBeNull();
    expect(bcscmdArgumentsOf(['app', 'C:relative'], false)).toBeNull();
  });
});
