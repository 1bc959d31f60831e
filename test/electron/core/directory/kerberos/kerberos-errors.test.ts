/** Kerberos library failures in words (the messages are MIT krb5's and Heimdal's own texts). */
import { describe, expect, it } from 'vitest';
import { explainKerberosError } from '../../../../../electron/core/directory/kerberos/kerberos-errors.ts';

const SPN = 'ldap/dc1.corp.example.test';

describe('explainKerberosError', () => {
  it.each([
    [
      'Unspecified GSS failure.  Minor code may provide more information: No Kerberos credentials available ' +
        '(default cache: FILE:/tmp/krb5cc_0)',
      'kerberos-no-ticket',
      /kinit/,
    ],
    [
      'Unspecified GSS failure.  Minor code may provide more information: Credentials cache file ' +
        "'/tmp/krb5cc_0' not found",
      'kerberos-no-ticket',
      /kinit/,
    ],
    ['The referenced context has expired: Ticket expired', 'kerberos-ticket-expired', /kinit/],
    [
      'Unspecified GSS failure.  Minor code may provide more information: Clock skew too great',
      'kerberos-clock-skew',
      /clock/,
    ],
    [
      `Unspecified GSS failure.  Minor code may provide more information: Server ${SPN}@CORP.EXAMPLE.TEST not ` +
        `found in Kerberos database`,
      'kerberos-unknown-server',
      /full DNS name/,
    ],
    [
      'Unspecified GSS failure.  Minor code may provide more information: Cannot contact any KDC for realm ' +
        "'CORP.EXAMPLE.TEST'",
      'kerberos-no-kdc',
      /port 88/,
    ],
    ['Something nobody foresaw', 'kerberos-failed', /klist/],
  ])('%s → %s', (message, code, hint) => {
    const failure = explainKerberosError(new Error(message), SPN);
    expect(failure.code).toBe(code);
    expect(failure.hint).toMatch(hint);
  });

  it('names the service principal it asked for when the DC is unknown under that name', () => {
    expect(explainKerberosError(new Error('Server not found in Kerberos database'), 'ldap/10.0.0.5').message).toContain(
      'ldap/10.0.0.5',
    );
  });
});
