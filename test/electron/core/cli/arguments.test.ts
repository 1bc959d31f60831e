import { describe, expect, it } from 'vitest';
import { parseCliArguments } from '../../../../electron/core/cli/arguments.ts';

describe('bcscmd arguments', () => {
  it('reads Windows-style switches in any case', () => {
    expect(parseCliArguments(['/test', '/JSON', '/Data:C:\\data', '/SET:server=dc1', '/set:port=636'])).toEqual({
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
    });
  });

  it('reads the POSIX aliases, with the value attached or following', () => {
    const request = parseCliArguments(['--test', '--set', 'login=CORP\\svc', '--set=ouPath=LDAP://OU=a,DC=b', '--data', '/tmp/x', '--password-file', '/tmp/pw']);
    expect(request).toMatchObject({ test: true, dataDir: '/tmp/x', passwordFile: '/tmp/pw', sets: [{ key: 'login', value: 'CORP\\svc' }, { key: 'ouPath', value: 'LDAP://OU=a,DC=b' }] });
  });

  it('keeps "=" and ":" inside a set value', () => {
    expect(parseCliArguments(['/SET:ouPath=LDAP://dc1:636/OU=a,DC=b']).sets).toEqual([{ key: 'ouPath', value: 'LDAP://dc1:636/OU=a,DC=b' }]);
  });

  it.each([
    [['/BOGUS'], /Unknown switch/],
    [['plain'], /not a switch/],
    [['/SET'], /needs a value/],
    [['/SET:novalue'], /key=value/],
    [['/TEST:yes'], /takes no value/],
    [['/LDAP'], /not in this build yet/],
  ])('explains %j', (argv, message) => {
    expect(() => parseCliArguments(argv)).toThrow(message);
  });

  it('recognises /? as help', () => {
    expect(parseCliArguments(['/?']).help).toBe(true);
  });
});
