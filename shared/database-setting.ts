/**
 * Where the users database is (the setting `database`): empty = users.sqlite in the data folder (nothing to set
 * up); or a PostgreSQL URL, postgresql://user@host:port/dbname[?sslmode=…&sslrootcert=<CA file>], for several IM
 * nodes sharing one database. Its password is never in the URL (the settings file is plain): PostgreSQL's own
 * PGPASSWORD or .pgpass, or the file the setting `databasePasswordFile` names. Beyond this machine the
 * connection is TLS with the server's certificate verified — the users' data and the lockout counts cross it.
 */
import { isLoopbackHost } from './loopback.ts';

const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
type SslMode = (typeof SSL_MODES)[number];

export type DatabaseTarget =
  | { engine: 'sqlite' }
  | {
      engine: 'postgresql';
      host: string;
      port: number;
      database: string;
      user: string;
      /**
       * 'verify-full': certificate and name checked; 'verify-ca': certificate only; 'require' (encrypted,
       * unchecked) and 'disable': on this machine only.
       */
      tls: SslMode;
      /** A CA file (PEM) to verify the server with, instead of the system's. */
      caFile: string | null;
      /** The URL as shown to people (it holds no secret). */
      url: string;
    };

export type DatabaseSettingParse = { ok: true; target: DatabaseTarget } | { ok: false; error: string };

const EXAMPLE = 'postgresql://adconsole@db.corp.example:5432/adconsole';
const NAME = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;

const refuse = (error: string): DatabaseSettingParse => ({ ok: false, error });

export function parseDatabaseSetting(text: string): DatabaseSettingParse {
  const value = text.trim();
  if (value === '') return { ok: true, target: { engine: 'sqlite' } };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return refuse(`"${value}" is not a database URL: leave it empty for the built-in database, or write ${EXAMPLE}.`);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:')
    return refuse(`The users database is SQLite (leave it empty) or PostgreSQL (${EXAMPLE}), not ${url.protocol}//.`);
  if (url.password)
    return refuse(
      'Take the password out of the URL: the settings file is not secret. Put it in PGPASSWORD or ~/.pgpass, or ' +
        'in a file readable only by the service account and name that file in databasePasswordFile.',
    );
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) return refuse(`Name the PostgreSQL server in the URL, such as ${EXAMPLE}.`);
  const user = decodeURIComponent(url.username);
  if (!user) return refuse(`Name the PostgreSQL user before the server, such as ${EXAMPLE}.`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!NAME.test(database))
    return refuse(
      database
        ? `"${database}" is not a database name this product creates tables in: letters, digits, _ and -, ` +
            'starting with a letter, up to 63 characters.'
        : `Name the database after the server, such as ${EXAMPLE}.`,
    );
  const port = url.port ? Number(url.port) : 5432;
  const unknown = [...url.searchParams.keys()].filter((k) => k !== 'sslmode' && k !== 'sslrootcert');
  if (unknown.length)
    return refuse(`Unknown URL parameter ${unknown.join(', ')}: only sslmode and sslrootcert are read.`);
  const mode = url.searchParams.get('sslmode');
  if (mode !== null && !(SSL_MODES as readonly string[]).includes(mode))
    return refuse(`sslmode=${mode} is not one of ${SSL_MODES.join(', ')}.`);
  const loopback = isLoopbackHost(host) || isLoopbackHost(url.hostname);
  if (!loopback && (mode === 'disable' || mode === 'require'))
    return refuse(
      `${host} is not this machine: the users database would cross the network ` +
        `${mode === 'disable' ? 'unencrypted' : 'to a server whose certificate nobody checks'}. Use ` +
        "sslmode=verify-full (the default), with sslrootcert=<CA file> if the server's CA is not the system's.",
    );
  const tls = (mode as SslMode | null) ?? (loopback ? 'disable' : 'verify-full');
  const caFile = url.searchParams.get('sslrootcert');
  if (tls === 'disable' && caFile)
    return refuse('sslrootcert names a CA for a TLS connection: add sslmode=verify-full, or leave sslrootcert out.');
  return {
    ok: true,
    target: { engine: 'postgresql', host, port, database, user, tls, caFile, url: url.href },
  };
}
