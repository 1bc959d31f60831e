/**
 * "Current account": a SASL GSSAPI bind (RFC 4752) as the identity this process runs under — the
 * Kerberos ticket cache (SSPI on Windows) through the optional `kerberos` package — then the strongest
 * security layer the server offers (sealing, else signing). AD with LDAP signing required, and Samba's
 * default "strong auth" even over LDAPS, accept GSSAPI only with a layer.
 */
import net from 'node:net';
import type { Client } from 'ldapts';
import { explainLdapResult } from '../../../../shared/ad-errors.ts';
import { Failure } from '../../failure.ts';
import { readRootDse } from '../rootdse.ts';
import { explainKerberosError } from './kerberos-errors.ts';
import { loadKerberos } from './kerberos-module.ts';
import { saslBindStep } from './sasl-bind.ts';
import { installSecurityLayer, type SecurityLayer } from './security-layer.ts';

const SASL_BIND_IN_PROGRESS = 14;
const LAYER_BITS: [number, SecurityLayer][] = [
  [4, 'confidentiality'],
  [2, 'integrity'],
  [1, 'none'],
];
/** The largest wrapped frame we accept from the server (16 MB - 1, the 3-byte maximum). */
const OUR_MAX_BUFFER = [0xff, 0xff, 0xff];

export interface KerberosBind {
  principal: string;
  layer: SecurityLayer;
  servicePrincipal: string;
}

/**
 * `overTls`: inside TLS no layer is chosen — AD and Samba refuse SASL signing or sealing over TLS
 * ("Sign or Seal are not allowed if TLS is used"); the TLS session protects the traffic.
 */
export async function gssapiBind(client: Client, host: string, overTls: boolean): Promise<KerberosBind> {
  const kerberos = loadKerberos();
  if ('missing' in kerberos)
    throw new Failure(
      'kerberos-unavailable',
      `Logging on as the current account needs Kerberos, but ${kerberos.missing}.`,
      'Install the console with its Kerberos support (npm install builds it; it needs the Kerberos development ' +
        'files, e.g. libkrb5-dev), or choose Specified account.',
    );
  const k = kerberos.module;
  // The service principal names the DC by its DNS name; an address is turned into the name the DC reports.
  const dcName = net.isIP(host) ? (await readRootDse(client)).dnsHostName : host;
  const servicePrincipal = `ldap/${dcName}`;
  let gss;
  let token: string;
  try {
    gss = await k.initializeClient(`ldap@${dcName}`, {
      mechOID: k.GSS_MECH_OID_KRB5,
      flags: k.GSS_C_MUTUAL_FLAG | k.GSS_C_SEQUENCE_FLAG | k.GSS_C_INTEG_FLAG | k.GSS_C_CONF_FLAG,
    });
    token = await gss.step('');
  } catch (err) {
    throw explainKerberosError(err, servicePrincipal);
  }
  let step = await saslBindStep(client, 'GSSAPI', Buffer.from(token, 'base64'));
  while (step.status === SASL_BIND_IN_PROGRESS) {
    if (!gss.contextComplete) {
      let next: string;
      try {
        next = await gss.step(step.serverCredentials?.toString('base64') ?? '');
      } catch (err) {
        throw explainKerberosError(err, servicePrincipal);
      }
      step = await saslBindStep(client, 'GSSAPI', next ? Buffer.from(next, 'base64') : null);
      continue;
    }
    // RFC 4752 §3.1: the server offers layers and its maximum buffer; we choose one and ours.
    const offer = Buffer.from(
      await gss.unwrap((step.serverCredentials ?? Buffer.alloc(0)).toString('base64')),
      'base64',
    );
    const chosen = LAYER_BITS.find(([bit]) => (overTls ? bit === 1 : true) && (offer[0] ?? 0) & bit);
    if (!offer.length || !chosen)
      throw new Failure(
        'sasl-layer',
        'The domain controller offered no SASL security layer this console can use.',
        "Check the domain controller's LDAP signing policy.",
      );
    const reply = Buffer.from([chosen[0], ...(chosen[1] === 'none' ? [0, 0, 0] : OUR_MAX_BUFFER)]);
    step = await saslBindStep(
      client,
      'GSSAPI',
      Buffer.from(await gss.wrap(reply.toString('base64'), { protect: false }), 'base64'),
    );
    if (step.status !== 0) break;
    if (chosen[1] !== 'none') installSecurityLayer(client, gss, chosen[1]);
    return { principal: gss.username, layer: chosen[1], servicePrincipal };
  }
  if (step.status === 0) return { principal: gss.username, layer: 'none', servicePrincipal };
  const explained = explainLdapResult(step.status, step.errorMessage);
  throw new Failure(
    explained.code,
    `${explained.message}${step.errorMessage ? ` (${step.errorMessage.trim()})` : ''}`,
    explained.hint ?? '',
  );
}
