/**
 * The users database on a PostgreSQL server, shared by several IM nodes (DESIGN §13). Reads go through a small
 * pool; a write transaction gets a connection of its own and takes one advisory lock first, so writers queue
 * across every node as they do on SQLite (without it, racing first logons on four nodes failed 128 transactions
 * in the study; with it none). COPY carries bulk rows.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DatabaseTarget } from '../../../../shared/database-setting.ts';
import { numberedPlaceholders } from './placeholders.ts';
import {
  DIALECTS,
  lockKey,
  type SqlEngine,
  type SqlQueryable,
  type SqlRow,
  type SqlValue,
  type WriteOptions,
} from './sql-engine.ts';

/** How long opening a connection may take before it fails (and is tried again by whoever needed it). */
const CONNECT_TIMEOUT_MS = 10_000;

/** How long a write transaction may sit idle before the server ends it (a frozen node's). */
export const WRITER_SILENCE_MS = 60_000;

/** The key every write transaction locks: one writer at a time, as SQLite's BEGIN IMMEDIATE. */
export const WRITE_LOCK = lockKey('write');

/** bigint (count(*), uSNChanged) and numeric as numbers, as SQLite gives them; everything else as pg does. */
const NUMBER_TYPES = new Set([20 /* int8 */, 1700 /* numeric */]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    NUMBER_TYPES.has(oid)
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

const SPECIAL = /[\\\t\n\r]/;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A COPY text-format field: backslash, tab, newline and carriage return escaped; null as \N. */
function copyField(value: SqlValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Most values hold none of the four: tested once rather than replaced.
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPED[c]!) : value;
}

/** Rows of a COPY, a few hundred lines per chunk (a chunk per line costs a stream write each). */
function* copyChunks(rows: Iterable<readonly SqlValue[]>, counted: () => void): Generator<string> {
  let lines: string[] = [];
  for (const row of rows) {
    counted();
    let line = '';
    for (let i = 0; i < row.length; i++) line += (i ? '\t' : '') + copyField(row[i]!);
    lines.push(line);
    if (lines.length === 500) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length) yield `${lines.join('\n')}\n`;
}

type Runner = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Up to this many rows, `copyRows` inserts them with one statement instead of a COPY. */
const FEW_ROWS = 20;

function queryable(runner: Runner, connect: () => Promise<pg.PoolClient>, release: (c: pg.PoolClient) => void) {
  const query = (sql: string, params: SqlValue[]) => runner.query(numberedPlaceholders(sql), params);
  const api: SqlQueryable = {
    async all<T extends object = SqlRow>(sql: string, ...params: SqlValue[]) {
      return (await query(sql, params)).rows as T[];
    },
    async get<T extends object = SqlRow>(sql: string, ...params: SqlValue[]) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, ...params: SqlValue[]) {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
    async exec(sql: string) {
      await runner.query(sql);
    },
    async copyRows(table: string, columns: readonly string[], rows: Iterable<readonly SqlValue[]>) {
      // A few rows (an on-the-fly import writes one account and one history row) go in one INSERT: a COPY takes
      // several round trips, and on-the-fly imports wait for each other's.
      const iterator = rows[Symbol.iterator]();
      const few: (readonly SqlValue[])[] = [];
      let ended = false;
      while (few.length <= FEW_ROWS) {
        const next = iterator.next();
        if (next.done) {
          ended = true;
          break;
        }
        few.push(next.value);
      }
      if (ended) {
        if (few.length > 0)
          await api.run(
            `INSERT INTO ${table} (${columns.join(', ')}) VALUES ` +
              few.map((row) => `(${row.map(() => '?').join(', ')})`).join(', '),
            ...few.flat(),
          );
        return few.length;
      }
      const all = (function* () {
        yield* few;
        for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
      })();
      const client = await connect();
      const lost = () => undefined; // said by the COPY's own failure
      client.on('error', lost);
      let n = 0;
      try {
        const lines = Readable.from(copyChunks(all, () => n++));
        await pipeline(lines, client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
      } finally {
        client.off('error', lost);
        release(client);
      }
      return n;
    },
  };
  return api;
}

export type PostgresTarget = Extract<DatabaseTarget, { engine: 'postgresql' }>;

/** TLS as the URL's sslmode asks (DESIGN §13, as for LDAP: verified unless on this machine). */
function tlsOptions(target: PostgresTarget, ca: string | undefined): pg.ClientConfig['ssl'] {
  switch (target.tls) {
    case 'disable':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { rejectUnauthorized: true, ca, servername: target.host };
  }
}

/** One write transaction on `client`, after the write lock every writer takes. */
async function writeOn<T>(
  client: pg.ClientBase,
  work: (tx: SqlQueryable) => Promise<T>,
  lock: string = WRITE_LOCK,
): Promise<{ result: T } | { broken: Error | undefined; err: unknown }> {
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [lock]);
    const result = await work(
      queryable(
        client,
        async () => client as pg.PoolClient,
        () => undefined,
      ),
    );
    await client.query('COMMIT');
    return { result };
  } catch (err) {
    let broken: Error | undefined;
    await client.query('ROLLBACK').catch((lost: Error) => {
      broken = lost;
    });
    return { broken, err };
  }
}

/** A lock held by a connection of its own (see PostgresEngine.holdLock). */
export interface HeldLock {
  /** Writes on the lock's own connection: they commit only while the lock is held. */
  write<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Settles with the reason when the connection, and with it the lock, is lost. */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

export interface HoldOptions {
  /** How often the holder shows it is alive (a query on the lock's connection). */
  heartbeatMs?: number;
  /** The server ends a session silent for this long, and frees its lock: a frozen holder loses it then. */
  silenceMs?: number;
  /**
   * Stand by: while another holds the lock, try again this often on the same connection (which stays open, and
   * alive for the server), until it is held or `signal` aborts. Without it one try.
   */
  retryMs?: number;
  signal?: AbortSignal;
  /** The connection's name on the server (pg_stat_activity), standing by and then holding: who waits, who holds. */
  label?: (holding: boolean) => string;
}

/** PostgreSQL keeps 63 bytes of a connection's application_name. */
const applicationName = (text: string) =>
  Buffer.from(text, 'utf8')
    .subarray(0, 63)
    .toString('utf8')
    .replace(/\uFFFD$/, '');

export class PostgresEngine implements SqlEngine {
  readonly name = 'postgresql' as const;
  readonly dialect = DIALECTS.postgresql;
  readonly location: string;
  private readonly config: pg.ClientConfig;
  private readonly pool: pg.Pool;
  private readonly reads: SqlQueryable;
  /** The connections that hold locks: closed with the engine, which frees their locks. */
  private readonly holders = new Set<pg.Client>();

  /**
   * `password`: from databasePasswordFile; undefined lets the driver take PGPASSWORD or ~/.pgpass as PostgreSQL's
   * own clients do. `ca`: the PEM text of sslrootcert.
   */
  constructor(target: PostgresTarget, password?: string, ca?: string) {
    this.location = target.url;
    this.config = {
      host: target.host,
      port: target.port,
      database: target.database,
      user: target.user,
      password,
      ssl: tlsOptions(target, ca),
      types,
      application_name: 'AD Console',
      // A server that accepts the connection but never answers must not hold a node for ever: the caller retries.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    };
    // A node that freezes inside a write transaction holds the write lock of every node: the server ends such a
    // transaction after a minute (ours never wait between statements for more than moments).
    this.pool = new pg.Pool({
      ...this.config,
      max: 4,
      options: `-c idle_in_transaction_session_timeout=${WRITER_SILENCE_MS}`,
    });
    // An idle connection the server dropped must not take the process down; the next query opens another.
    this.pool.on('error', () => undefined);
    this.reads = queryable(
      this.pool,
      () => this.pool.connect(),
      (c) => c.release(),
    );
  }

  all<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T[]> {
    return this.reads.all<T>(sql, ...params);
  }

  get<T extends object = SqlRow>(sql: string, ...params: SqlValue[]): Promise<T | undefined> {
    return this.reads.get<T>(sql, ...params);
  }

  run(sql: string, ...params: SqlValue[]): Promise<{ changes: number }> {
    return this.reads.run(sql, ...params);
  }

  exec(sql: string): Promise<void> {
    return this.reads.exec(sql);
  }

  copyRows(table: string, columns: readonly string[], rows: Iterable<readonly SqlValue[]>): Promise<number> {
    return this.reads.copyRows(table, columns, rows);
  }

  async write<T>(work: (tx: SqlQueryable) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out connection that dies emits 'error' besides failing its query: heard here, or the process ends.
    const lost = () => undefined;
    client.on('error', lost);
    const outcome = await writeOn(client, work, options.scope ? lockKey(`scope:${options.scope}`) : WRITE_LOCK);
    client.off('error', lost);
    // A connection that could not even roll back is dropped, not given to the next caller.
    client.release('broken' in outcome ? outcome.broken : undefined);
    if ('err' in outcome) throw outcome.err;
    return outcome.result;
  }

  /**
   * Takes the named lock on a connection of its own and holds it until `release` — or until that connection ends:
   * a holder that is killed loses it at once (the server sees the socket close), one that freezes loses it when its
   * session has been silent for `silenceMs` (the server's idle_session_timeout). Null when another holds it.
   * Never a wall-clock guess across machines.
   */
  async holdLock(
    name: string,
    { heartbeatMs = 5_000, silenceMs = 30_000, retryMs, signal, label }: HoldOptions = {},
  ): Promise<HeldLock | null> {
    const client = new pg.Client({
      ...this.config,
      ...(label ? { application_name: applicationName(label(false)) } : {}),
      options: `-c idle_session_timeout=${silenceMs} -c idle_in_transaction_session_timeout=${silenceMs}`,
    });
    let settle!: (reason: Error) => void;
    const lost = new Promise<Error>((resolve) => (settle = resolve));
    client.on('error', (err) => settle(err));
    client.on('end', () => settle(new Error(`the connection holding the lock "${name}" ended`)));
    await client.connect();
    this.holders.add(client);
    void lost.then(() => this.holders.delete(client));
    const tryLock = async () =>
      (await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1) AS held', [lockKey(name)])).rows[0]!.held;
    let held = await tryLock();
    let gone = false;
    void lost.then(() => (gone = true));
    // Standing by: a try is also the heartbeat, so retryMs must stay below silenceMs. A lost connection ends it.
    while (!held && retryMs !== undefined && !signal?.aborted && !gone) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, retryMs);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve(undefined)), { once: true });
      });
      if (signal?.aborted) break;
      held = await tryLock().catch(() => false);
    }
    if (!held) {
      this.holders.delete(client);
      await client.end().catch(() => undefined);
      return null;
    }
    if (label) await client.query(`SET application_name = '${applicationName(label(true)).replace(/'/g, "''")}'`);
    const beat = setInterval(() => client.query('SELECT 1').catch(() => undefined), heartbeatMs);
    beat.unref();
    void lost.then(() => clearInterval(beat));
    return {
      lost,
      write: async (work) => {
        const outcome = await writeOn(client, work);
        if ('err' in outcome) throw outcome.err;
        return outcome.result;
      },
      release: async () => {
        clearInterval(beat);
        await client.query('SELECT pg_advisory_unlock($1)', [lockKey(name)]).catch(() => undefined);
        this.holders.delete(client);
        await client.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    for (const client of this.holders) await client.end().catch(() => undefined);
    this.holders.clear();
    await this.pool.end();
  }
}
