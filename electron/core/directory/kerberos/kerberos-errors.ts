/** Kerberos (GSS-API) failures in words: what is wrong with the ticket, the clock or the DC's name. */
import { Failure } from '../../failure.ts';

const RULES: [RegExp, (spn: string, detail: string) => Failure][] = [
  [
    /No Kerberos credentials available|No credentials cache found|Credentials cache .*not found|No credentials were supplied/i,
    () =>
      new Failure(
        'kerberos-no-ticket',
        'There is no Kerberos ticket for the current account (the ticket cache is empty).',
        'Log on to the domain again, or run "kinit user@REALM" for the account this console runs under; or ' +
          'choose Specified account.',
      ),
  ],
  [
    /expired/i,
    () =>
      new Failure(
        'kerberos-ticket-expired',
        "The current account's Kerberos ticket has expired.",
        'Run "kinit" again (or log off and on), then try again.',
      ),
  ],
  [
    /Clock skew too great/i,
    () =>
      new Failure(
        'kerberos-clock-skew',
        "This computer's clock differs from the domain controller's by more than Kerberos allows (5 minutes by " +
          'default).',
        "Synchronise this computer's clock with the domain (w32tm /resync, or NTP), then try again.",
      ),
  ],
  [
    /Server not found in Kerberos database|Server .* not found/i,
    (spn) =>
      new Failure(
        'kerberos-unknown-server',
        `The domain has no service principal ${spn}: the domain controller's host name does not match its ` +
          `Kerberos name.`,
        'Name the domain controller by its full DNS name (the one in its certificate and SPN, e.g. ' +
          'dc1.corp.example.com) in Server, not by an alias or address.',
      ),
  ],
  [
    /Cannot (contact|find) (any )?KDC|Cannot resolve network address for KDC/i,
    () =>
      new Failure(
        'kerberos-no-kdc',
        'No Kerberos key distribution center (domain controller) of the realm could be reached.',
        "Check this computer's Kerberos configuration (krb5.conf: the realm's kdc) and that port 88 on the " +
          'domain controllers is reachable.',
      ),
  ],
];

export function explainKerberosError(err: unknown, servicePrincipal: string): Failure {
  if (err instanceof Failure) return err;
  const detail = String((err as Error)?.message ?? err)
    .replace(/\s+/g, ' ')
    .trim();
  for (const [pattern, make] of RULES) if (pattern.test(detail)) return make(servicePrincipal, detail);
  return new Failure(
    'kerberos-failed',
    `Kerberos could not log on as the current account: ${detail.replace(/\.?$/, '.')}`,
    "Check the current account's Kerberos ticket (klist) and the domain controller's name, or choose Specified " +
      'account.',
  );
}
