import { describe, expect, it } from 'vitest';
import { parseCliArguments } from '../../../../electron/core/cli/arguments.ts';

describe('bcscmd arguments', () => {
  it('reads Windows-style switches in any case', () => {
    expect(parseCliArguments(['/test', '/JSON', '/Data:C:\\data', '/SET:server=dc1', '/set:port=636'])).toMatchObject({
      help: false,
      show: false,
      test: true,
      json: true,
      dataDir: 'C:\\data',
      passwordFile: null,
      sets: [
        { key: 'server', value: 'dc1' },
        { key: 'port', value: '636' },
      ],
      ldap: false,
      users: false,
      report: null,
    });
  });

  it('reads the POSIX aliases, with the value attached or following', () => {
    const request = parseCliArguments([
      '--test',
      '--set',
      'login=CORP\\svc',
      '--set=ouPath=LDAP://OU=a,DC=b',
      '--data',
      '/tmp/x',
      '--password-file',
      '/tmp/pw',
    ]);
    expect(request).toMatchObject({
      test: true,
      dataDir: '/tmp/x',
      passwordFile: '/tmp/pw',
      sets: [
        { key: 'login', value: 'CORP\\svc' },
        { key: 'ouPath', value: 'LDAP://OU=a,DC=b' },
      ],
    });
  });

  it('keeps "=" and ":" inside a set value', () => {
    expect(parseCliArguments(['/SET:ouPath=LDAP://dc1:636/OU=a,DC=b']).sets).toEqual([
      { key: 'ouPath', value: 'LDAP://dc1:636/OU=a,DC=b' },
    ]);
  });

  it.each([
    [['/BOGUS'], /Unknown switch/],
    [['plain'], /not a switch/],
    [['/SET'], /needs a value/],
    [['/SET:novalue'], /key=value/],
    [['/TEST:yes'], /takes no value/],
    [['/DRYRUN'], /only works with \/LDAP/],
    [['/MODE:add', '/FULL'], /\/FULL, \/MODE only work with \/LDAP/],
    [['/LDAP', '/MODE:merge'], /takes sync, add or new/],
    [['/REPORT:seven'], /run number/],
    [['/USERS', '/CSV'], /\/CSV works with \/REPORT/],
    [['/LDAP', '/OU:Sales'], /\/OU needs a distinguished name such as OU=Sales,DC=domain,DC=com/],
    [['/LDAP', '/GROUP:CN=a,,DC=b'], /\/GROUP needs a distinguished name/],
  ])('explains %j', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(message);
  });

  it('reads /LDAP with its mode, options and sources, sync being the default mode', () => {
    expect(parseCliArguments(['/LDAP'])).toMatchObject({
      ldap: true,
      mode: 'sync',
      dryRun: false,
      full: false,
      yes: false,
    });
    expect(
      parseCliArguments([
        '/ldap',
        '/mode:NEW',
        '/DryRun',
        '/FULL',
        '/YES',
        '/OU:OU=a,DC=b',
        '/GROUP:CN=g,DC=b',
        '/JSON',
      ]),
    ).toMatchObject({
      ldap: true,
      mode: 'new',
      dryRun: true,
      full: true,
      yes: true,
      json: true,
      ous: ['OU=a,DC=b'],
      groups: ['CN=g,DC=b'],
    });
    expect(parseCliArguments(['/REPORT:12', '/CSV'])).toMatchObject({ report: 12, csv: true });
  });

  it('recognises /? as help', () => {
    expect(parseCliArguments(['/?']).help).toBe(true);
  });
});
