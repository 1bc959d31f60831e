/**
 * What went wrong with the PostgreSQL server holding the users database, in words for people: the server not
 * answering, a login it refuses, a database that does not exist, missing rights, a certificate that does not
 * verify. PostgreSQL names its errors by SQLSTATE (`code`, five characters); Node names network errors by
 * errno (ECONNREFUSED…); TLS by the certificate's verdict.
 */
import { Failure } from '../../failure.ts';

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const NAMES = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const CERTIFICATE = /certificate|self[- ]signed|altnames|CERT_|UNABLE_TO_VERIFY/i;
/** What the driver says when a connection it had dies under it (the server restarted, the network cut). */
const LOST = new Set(['ECONNRESET', 'EPIPE']);
const LOST_WORDS = /Connection terminated|connection error|terminating connection/i;

/** The Failure for an error of the PostgreSQL driver, or null when it is not one. */
export function explainPostgresError(err: unknown, location: string): Failure | null {
  const { code, message } = err as { code?: unknown; message?: string };
  const said = message ?? String(err);
  if ((typeof code === 'string' && LOST.has(code)) || LOST_WORDS.test(said))
    return new Failure(
      'database-unreachable',
      `The connection to the PostgreSQL server of the users database (${location}) was lost: ${said}.`,
      'Check that the server runs and the network between them holds, then try again.',
    );
  if (typeof code === 'string' && (NETWORK.has(code) || NAMES.has(code)))
    return new Failure(
      'database-unreachable',
      `The PostgreSQL server of the users database (${location}) did not answer: ${said}.`,
      NAMES.has(code)
        ? 'Check the server name in the setting database (DNS), then try again.'
        : 'Check that PostgreSQL runs and listens on that address and port (listen_addresses, the firewall), then ' +
            'try again.',
    );
  if (CERTIFICATE.test(said))
    return new Failure(
      'database-unreachable',
      `The PostgreSQL server of the users database (${location}) was not trusted: ${said}.`,
      'Give its CA with sslrootcert=<file> in the URL, or use the name its certificate carries; certificate checks ' +
        'stay on.',
    );
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code === '3D000')
    return new Failure(
      'database-missing',
      `The users database ${location} does not exist on its PostgreSQL server.`,
      'Create it (CREATE DATABASE … OWNER <the user in the URL>), or correct the database name in the URL.',
    );
  if (code.startsWith('28'))
    return new Failure(
      'database-login-failed',
      `The PostgreSQL server refused the login for the users database ${location}: ${said}.`,
      'Check the user in the URL and its password (PGPASSWORD, ~/.pgpass or databasePasswordFile), and that ' +
        'pg_hba.conf lets it in from this machine.',
    );
  if (code === '42501')
    return new Failure(
      'database-no-rights',
      `The PostgreSQL user of the users database ${location} may not do this: ${said}.`,
      'Make that user the owner of the database (ALTER DATABASE … OWNER TO …), or grant it the rights on its tables.',
    );
  return new Failure(
    'database-failed',
    `The users database ${location} could not be used: ${said}. It was not changed.`,
    'Try again; if it persists, the PostgreSQL server log says more.',
  );
}
