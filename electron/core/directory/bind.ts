/** The one bind a connection makes, with the checks that keep a service account from being locked out. */
import type { Client } from 'ldapts';
import { parseLoginId } from '../../../shared/login-id.ts';
import type { Settings } from '../../../shared/settings.ts';
import { Failure } from '../failure.ts';
import { gssapiBind } from './kerberos/gssapi-bind.ts';
import type { SecurityLayer } from './kerberos/security-layer.ts';
import { explainLdapError } from './ldap-errors.ts';

const LAYER_WORDS = {
  confidentiality: 'sealed (encrypted and signed) by Kerberos',
  integrity: 'signed by Kerberos',
  none: 'no SASL layer: the TLS session protects the traffic',
};

/** Where the bind goes: the host as configured, and whether TLS already protects the connection. */
export interface BindTarget {
  host: string;
  overTls: boolean;
}

export interface Bound {
  /** Who logged on: the principal (Kerberos) or the login ID as typed. */
  identity: string;
  /** For Test connection's bind step: the identity and how it logged on. */
  description: string;
  /** The SASL layer the Kerberos session installed; null for simple binds. */
  layer: SecurityLayer | null;
}

async function bindAsCurrentAccount(client: Client, target: BindTarget): Promise<Bound> {
  try {
    const bound = await gssapiBind(client, target.host, target.overTls);
    return {
      identity: bound.principal,
      description:
        `${bound.principal} (current account, Kerberos, service ${bound.servicePrincipal}; ` +
        `${LAYER_WORDS[bound.layer]})`,
      layer: bound.layer,
    };
  } catch (err) {
    // Over TLS no layer may be chosen, and a DC that insists on one (Samba's default) refuses the bind.
    if (target.overTls && (err as { code?: unknown }).code === 'encryption-required') {
      throw new Failure(
        'kerberos-layer-refused',
        'The domain controller refuses Kerberos logons over TLS: over LDAPS or StartTLS no SASL signing or ' +
          'sealing may be used, and its policy requires one (Samba: "ldap server require strong auth = yes").',
        'Choose Security: None — the Kerberos session then seals every message — or let the DC accept SASL ' +
          'over TLS (Samba: ldap server require strong auth = allow_sasl_over_tls).',
      );
    }
    throw err;
  }
}

/**
 * Binds once: as the current account (Kerberos), or with the login ID and a password — never an empty
 * one (AD would treat it as an anonymous bind and "succeed").
 */
export async function bindOnce(
  client: Client,
  settings: Settings,
  password: string | null,
  timeoutMs: number,
  target: BindTarget,
): Promise<Bound> {
  if (settings.account === 'current') return bindAsCurrentAccount(client, target);
  const login = parseLoginId(settings.login);
  if (!login.ok) throw new Failure('invalid-login', login.error, 'Correct the Login ID in the dialog.');
  if (!password) {
    throw new Failure(
      'no-password',
      'No password is available for this login ID.',
      'Type the password. (A stored password is used only for the login ID and server it was saved with.)',
    );
  }
  try {
    await client.bind(settings.login.trim(), password);
  } catch (err) {
    throw explainLdapError(err, 'logon (bind)', timeoutMs);
  }
  const form =
    login.form.kind === 'dn'
      ? 'distinguished name'
      : login.form.kind === 'upn'
        ? 'user principal name'
        : 'down-level logon name';
  return { identity: settings.login.trim(), description: `${settings.login.trim()} (${form})`, layer: null };
}
