/** Errors thrown by ldapts, turned into sentences (AD's sub-code sits only inside `error.message`). */
import { explainLdapResult } from '../../../shared/ad-errors.ts';
import { Failure } from '../failure.ts';

export function explainLdapError(err: unknown, operation: string, timeoutMs: number): Failure {
  if (err instanceof Failure) return err;
  const e = err as { code?: unknown; message?: string };
  const message = e.message ?? String(err);
  if (typeof e.code === 'number') {
    const explained = explainLdapResult(e.code, message);
    return new Failure(explained.code, explained.message, explained.hint ?? '');
  }
  if (/Operation timed out/i.test(message)) {
    return new Failure(
      'operation-timeout',
      `The domain controller did not answer the ${operation} within ${timeoutMs / 1000} s.`,
      'Check that the port belongs to an LDAP server, or raise the operation timeout in Advanced settings.',
    );
  }
  // ldapts says "Socket connection not established" for a request on a connection the server dropped.
  if (
    /Connection closed|Socket error|Socket connection not established|connection to the domain controller was lost|ECONNRESET|EPIPE/i.test(
      message,
    )
  ) {
    return new Failure(
      'connection-lost',
      `The domain controller closed the connection during the ${operation}.`,
      "Try again; if it repeats, check the domain controller's LDAP policy and event log.",
    );
  }
  return new Failure(
    'ldap-failed',
    `The ${operation} failed: ${message.replace(/\.?$/, '.')}`,
    'Check the settings in Advanced settings and try again.',
  );
}
