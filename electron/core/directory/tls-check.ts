/**
 * TLS diagnostics: what the certificate says and, when it is refused, why in words. The handshake runs
 * with verification done by us (not skipped): an unverified certificate always ends the connection.
 */
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { Failure } from '../failure.ts';

export interface CertificateSummary {
  protocol: string;
  subject: string;
  issuer: string;
  names: string[];
  validFrom: string;
  validTo: string;
}

/** System roots plus the admin's CA file: the file adds trust, it does not replace the system store. */
export function trustedCas(caFile: string): string[] {
  const roots = [...tls.rootCertificates];
  if (!caFile.trim()) return roots;
  let pem: string;
  try {
    pem = fs.readFileSync(caFile.trim(), 'utf8');
  } catch (err) {
    throw new Failure(
      'ca-file-unreadable',
      `The CA certificate file ${caFile} cannot be read ` +
        `(${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
      'Check the CA certificate file path in Advanced settings.',
    );
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks)
    throw new Failure(
      'ca-file-invalid',
      `The CA certificate file ${caFile} holds no PEM certificate.`,
      'Export the CA certificate as Base-64 encoded X.509 (.cer/.pem) and name that file.',
    );
  return [...roots, ...blocks];
}

export function summarize(socket: tls.TLSSocket): CertificateSummary {
  const cert = socket.getPeerCertificate();
  const names = (cert.subjectaltname ?? '')
    .split(',')
    .map((n) => n.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return {
    protocol: socket.getProtocol() ?? 'TLS',
    subject: cert.subject?.CN ? String(cert.subject.CN) : JSON.stringify(cert.subject ?? {}),
    issuer: cert.issuer?.CN ? String(cert.issuer.CN) : JSON.stringify(cert.issuer ?? {}),
    names,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
  };
}

/** Explains why a certificate was refused (`authorizationError` code) using what the certificate says. */
export function explainCertificate(code: string, host: string, cert: CertificateSummary | null): Failure {
  const about = cert
    ? ` (subject ${cert.subject}, issued by ${cert.issuer}, valid ${cert.validFrom} – ${cert.validTo})`
    : '';
  switch (code) {
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_SIGNATURE_FAILURE':
      return new Failure(
        'tls-unknown-issuer',
        `The server's certificate was issued by a CA that this computer does not trust${about}.`,
        "Name your domain's CA certificate (PEM) in Advanced settings → CA certificate file, or install it in " +
          'the system certificate store.',
      );
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return new Failure(
        'tls-self-signed',
        `The server's certificate is self-signed and not trusted${about}.`,
        "Install a certificate from your domain's CA on the domain controller, or name this certificate as the " +
          'CA certificate file if you trust it.',
      );
    case 'CERT_HAS_EXPIRED':
      return new Failure(
        'tls-expired',
        `The server's certificate expired on ${cert?.validTo ?? 'an earlier date'}${about}.`,
        "Renew the domain controller's certificate (or check this computer's clock).",
      );
    case 'CERT_NOT_YET_VALID':
      return new Failure(
        'tls-not-yet-valid',
        `The server's certificate is not valid before ${cert?.validFrom ?? 'a later date'}${about}.`,
        "Check this computer's date and time.",
      );
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new Failure(
        'tls-name-mismatch',
        `The server's certificate is for ${cert?.names.join(', ') || cert?.subject || 'other names'}, not for ` +
          `"${host}"${about}.`,
        `Connect by a name the certificate lists${cert?.names[0] ? ` (e.g. ${cert.names[0]})` : ''}: set it as ` +
          `Server in Advanced settings.`,
      );
    default:
      return new Failure(
        'tls-untrusted',
        `The server's certificate is not trusted: ${code}${about}.`,
        'Check the CA certificate file and the server name in Advanced settings.',
      );
  }
}

/** Handshake failures before any certificate arrived: usually the wrong port or a non-TLS service. */
export function explainHandshakeError(err: NodeJS.ErrnoException, port: number): Failure {
  const code = err.code ?? '';
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'ECONNRESET' ||
    code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' ||
    /wrong version number|packet length/i.test(err.message)
  ) {
    return new Failure(
      'tls-not-spoken',
      `The server on port ${port} did not answer the TLS handshake (${code || err.message}).`,
      port === 389
        ? 'Port 389 is plain LDAP: choose StartTLS for it, or LDAPS on port 636.'
        : 'Check that this port serves LDAPS (usually 636).',
    );
  }
  if (/unsupported protocol|no protocols available|version too low/i.test(err.message)) {
    return new Failure(
      'tls-old-protocol',
      `The server offers only TLS versions older than 1.2 (${err.message}).`,
      'Enable TLS 1.2 or later on the domain controller.',
    );
  }
  return new Failure(
    'tls-failed',
    `The TLS handshake failed: ${err.message}.`,
    'Check the security mode and port in Advanced settings.',
  );
}

/** TLS options for a verified connection to `host`. SNI only carries names, never addresses. */
export function tlsOptions(host: string, ca: string[]): tls.ConnectionOptions {
  return {
    host,
    ...(net.isIP(host) ? {} : { servername: host }),
    ca,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: false,
  };
}

/** After the handshake: refuse anything the platform did not verify, with the reason in words. */
export function verifyOrThrow(socket: tls.TLSSocket, host: string): CertificateSummary {
  const summary = summarize(socket);
  if (!socket.authorized) {
    const code =
      typeof socket.authorizationError === 'string'
        ? socket.authorizationError
        : ((socket.authorizationError as Error | undefined)?.message ?? 'UNKNOWN');
    socket.destroy();
    throw explainCertificate(code, host, summary);
  }
  return summary;
}
