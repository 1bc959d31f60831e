/** The one bind a connection makes, with the checks that keep a service account from being locked out. */
import type { Client } from 'ldapts';
import { parseLoginId } from '../../../shared/login-id.ts';
import type { Settings } from '../../../shared/settings.ts';
import { StepFailure } from '../failure.ts';
import { explainLdapError } from './ldap-errors.ts';

export const CURRENT_ACCOUNT_UNAVAILABLE = new StepFailure(
  'current-account-unavailable',
  'Logging on as the current account (Kerberos/SSPI) is not available in this build yet.',
  'Choose Specified account and type a login ID and password.',
);

/** Binds once; never sends an empty password (AD would treat it as an anonymous bind and "succeed"). */
export async function bindOnce(client: Client, settings: Settings, password: string | null, timeoutMs: number): Promise<string> {
  if (settings.account === 'current') throw CURRENT_ACCOUNT_UNAVAILABLE;
  const login = parseLoginId(settings.login);
  if (!login.ok) throw new StepFailure('invalid-login', login.error, 'Correct the Login ID in the dialog.');
  if (!password) {
    throw new StepFailure('no-password', 'No password is available for this login ID.', 'Type the password. (A stored password is used only for the login ID and server it was saved with.)');
  }
  try {
    await client.bind(settings.login.trim(), password);
  } catch (err) {
    throw explainLdapError(err, 'logon (bind)', timeoutMs);
  }
  const form = login.form.kind === 'dn' ? 'distinguished name' : login.form.kind === 'upn' ? 'user principal name' : 'down-level logon name';
  return `${settings.login.trim()} (${form})`;
}
