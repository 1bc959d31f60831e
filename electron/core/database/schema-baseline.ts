/**
 * The users database's schema as it stands at BASELINE_VERSION, written once for both engines with the dialect's
 * fragments (DESIGN §13). A new PostgreSQL database starts here; a SQLite file got here through MIGRATIONS' first
 * steps (kept for the files that exist), and a test holds the two to the same tables, columns and keys. Steps
 * after the baseline are written once and run on both engines.
 */
import { orderKey } from '../../../shared/order-key.ts';
import { type Dialect, DIALECTS, type EngineName } from './engine/sql-engine.ts';

export const BASELINE_VERSION = 11;

/**
 * Columns a step adds whose values the application computes from a row's other columns (the database cannot:
 * folding and numbers in names are JavaScript's, shared/order-key.ts): filled for the rows already there as the
 * step runs, and written by the code that writes the row from then on.
 */
export interface DerivedColumns {
  readonly table: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
  /** `from`'s values of one row in, `to`'s values out. */
  readonly compute: (values: readonly string[]) => string[];
}

/** A schema step after the baseline: one SQL script, written once with the dialect's fragments. */
export interface SchemaStep {
  readonly sql: (dialect: Dialect) => string;
  readonly derive?: DerivedColumns;
}

/**
 * The one list of schema steps after BASELINE_VERSION, for both engines: step n takes a database from version
 * BASELINE_VERSION + n to the next. Run once, under the write lock, by whichever process or node opens an older
 * database first; a newer database is refused. Never edit a released step: add the next one.
 */
export const SCHEMA_STEPS: readonly SchemaStep[] = [
  // 12: the users view sorts logon and display names by their order keys, as the import preview does, and
  // alike on both engines (lower() folded only ASCII on SQLite, every letter on PostgreSQL).
  {
    sql: ({ text }) => `
      ALTER TABLE accounts ADD COLUMN logon_order ${text} NOT NULL DEFAULT '';
      ALTER TABLE accounts ADD COLUMN name_order ${text} NOT NULL DEFAULT '';
      CREATE INDEX accounts_by_logon_order ON accounts(logon_order, logon_key);
      CREATE INDEX accounts_by_name_order ON accounts(name_order, logon_key);`,
    derive: {
      table: 'accounts',
      from: ['logon', 'display_name'],
      to: ['logon_order', 'name_order'],
      compute: ([logon, displayName]) => [orderKey(logon!), orderKey(displayName!)],
    },
  },
  // 13: every import rewrites rows it has just written or read — the photo census's "no photo" marks, a full
  // sync's "seen now" marks — in columns no index holds. With pages half empty PostgreSQL rewrites such a row on
  // its page without touching the six indexes (a heap-only update): 20 000 marks 0.44 → 0.15 s, a no-change full
  // sync's apply 0.50 → 0.16 s, for a table twice the size. Pages filled before stay as they are until rewritten.
  { sql: ({ leaveRoom }) => leaveRoom('accounts', 50) },
];

/** What keeps the built-in OU _Default in place, in each engine's trigger language. */
function builtinOuGuards(engine: EngineName): string {
  if (engine === 'sqlite')
    return `
  CREATE TRIGGER ous_builtin_undeletable BEFORE DELETE ON ous WHEN OLD.builtin = 1
    BEGIN SELECT RAISE(ABORT, 'The built-in OU _Default cannot be deleted.'); END;
  CREATE TRIGGER ous_builtin_unrenamable BEFORE UPDATE OF name, parent_id ON ous WHEN OLD.builtin = 1
    BEGIN SELECT RAISE(ABORT, 'The built-in OU _Default cannot be renamed or moved.'); END;`;
  return `
  CREATE FUNCTION ous_builtin_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      RAISE EXCEPTION 'The built-in OU _Default cannot be deleted.';
    END IF;
    RAISE EXCEPTION 'The built-in OU _Default cannot be renamed or moved.';
  END $$;
  CREATE TRIGGER ous_builtin_undeletable BEFORE DELETE ON ous FOR EACH ROW WHEN (OLD.builtin = 1)
    EXECUTE FUNCTION ous_builtin_guard();
  CREATE TRIGGER ous_builtin_unrenamable BEFORE UPDATE OF name, parent_id ON ous FOR EACH ROW
    WHEN (OLD.builtin = 1 AND (NEW.name, NEW.parent_id) IS DISTINCT FROM (OLD.name, OLD.parent_id))
    EXECUTE FUNCTION ous_builtin_guard();`;
}

/** `seed`: with the rows a new database starts with (the built-in OU, the revision, the single-row states). */
export function baselineSchema(engine: EngineName, { seed = true }: { seed?: boolean } = {}): string {
  const { text: t, int: i, autoId, keyedTable, nowText } = DIALECTS[engine];
  const seeded = (sql: string) => (seed ? sql : '');
  // PostgreSQL's identity does not move past an id given explicitly (_Default's 1): set it past the seed.
  const afterSeed = engine === 'postgresql' ? "SELECT setval(pg_get_serial_sequence('ous', 'id'), 1);" : '';
  return `
  CREATE TABLE ous (
    id         ${autoId},
    parent_id  ${i} REFERENCES ous(id),
    name       ${t} NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    name_key   ${t} NOT NULL,
    builtin    ${i} NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    created_at ${t} NOT NULL,
    sees_all   ${i} NOT NULL DEFAULT 1 CHECK (sees_all IN (0, 1))
  );
  CREATE UNIQUE INDEX ous_unique_name ON ous(coalesce(parent_id, 0), name_key);
  ${seeded(`INSERT INTO ous (id, parent_id, name, name_key, builtin, created_at)
    VALUES (1, NULL, '_Default', '_default', 1, ${nowText});
  ${afterSeed}`)}
  ${builtinOuGuards(engine)}

  CREATE TABLE accounts (
    id              ${autoId},
    logon           ${t} NOT NULL,
    logon_key       ${t} NOT NULL UNIQUE,
    first_name      ${t} NOT NULL DEFAULT '',
    middle_name     ${t} NOT NULL DEFAULT '',
    last_name       ${t} NOT NULL DEFAULT '',
    display_name    ${t} NOT NULL DEFAULT '',
    email           ${t} NOT NULL DEFAULT '',
    department      ${t} NOT NULL DEFAULT '',
    title           ${t} NOT NULL DEFAULT '',
    phone           ${t} NOT NULL DEFAULT '',
    enabled         ${i} NOT NULL CHECK (enabled IN (0, 1)),
    disabled_by     ${t} CHECK (disabled_by IN ('admin', 'sync', 'ad')),
    kind            ${t} NOT NULL CHECK (kind IN ('user', 'computer')),
    ou_id           ${i} NOT NULL REFERENCES ous(id),
    origin          ${t} NOT NULL CHECK (origin IN ('local', 'ad')),
    ad_guid         ${t} UNIQUE,
    ad_dn           ${t},
    ad_usn          ${i},
    ad_when_changed ${t},
    created_at      ${t} NOT NULL,
    updated_at      ${t} NOT NULL,
    synced_at       ${t},
    password_hash   ${t} CHECK (password_hash IS NULL OR origin = 'local'),
    last_logon_at   ${t},
    search_text     ${t} NOT NULL DEFAULT '',
    photo           ${t} NOT NULL DEFAULT '',
    photo_usn       ${i},
    CHECK (origin = 'ad' OR ad_guid IS NULL)
  );
  CREATE INDEX accounts_by_ou ON accounts(ou_id);

  CREATE TABLE meta (key ${t} PRIMARY KEY, value ${t} NOT NULL)${keyedTable};
  ${seeded("INSERT INTO meta (key, value) VALUES ('revision', '0');")}

  CREATE TABLE import_runs (
    id          ${autoId},
    mode        ${t} NOT NULL CHECK (mode IN ('new', 'add', 'sync', 'on-the-fly', 'account')),
    source      ${t} NOT NULL,
    started_by  ${t} NOT NULL CHECK (started_by IN ('wizard', 'command-line', 'on-the-fly', 'console', 'service')),
    incremental ${i} NOT NULL DEFAULT 0,
    dc          ${t},
    started_at  ${t} NOT NULL,
    finished_at ${t},
    status      ${t} NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'stopped',
      'interrupted')),
    created     ${i} NOT NULL DEFAULT 0,
    updated     ${i} NOT NULL DEFAULT 0,
    disabled    ${i} NOT NULL DEFAULT 0,
    enabled     ${i} NOT NULL DEFAULT 0,
    unchanged   ${i} NOT NULL DEFAULT 0,
    skipped     ${i} NOT NULL DEFAULT 0,
    conflicts   ${i} NOT NULL DEFAULT 0,
    failed      ${i} NOT NULL DEFAULT 0,
    error       ${t},
    backup      ${t},
    host        ${t},
    pid         ${i},
    deleted     ${i} NOT NULL DEFAULT 0,
    CHECK ((status = 'running') = (finished_at IS NULL))
  );
  CREATE INDEX import_runs_running ON import_runs(status) WHERE status = 'running';

  CREATE TABLE run_actions (
    run_id  ${i} NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
    seq     ${i} NOT NULL,
    action  ${t} NOT NULL,
    logon   ${t} NOT NULL,
    ad_dn   ${t},
    ad_guid ${t},
    changes ${t},
    reason  ${t},
    PRIMARY KEY (run_id, seq)
  )${keyedTable};

  CREATE TABLE sync_marks (
    source_key    ${t} PRIMARY KEY,
    dc_host       ${t} NOT NULL,
    invocation_id ${t} NOT NULL,
    usn           ${i} NOT NULL,
    since_full    ${i} NOT NULL,
    last_full_at  ${t} NOT NULL,
    last_seen     ${i} NOT NULL
  )${keyedTable};

  CREATE TABLE dc_marks (
    source_key    ${t} NOT NULL,
    invocation_id ${t} NOT NULL,
    dc_host       ${t} NOT NULL,
    usn           ${i} NOT NULL,
    read_at       ${t} NOT NULL,
    PRIMARY KEY (source_key, invocation_id)
  )${keyedTable};

  CREATE TABLE logon_failures (
    account_key    ${t} PRIMARY KEY,
    failures       ${i} NOT NULL,
    last_failed_at ${i} NOT NULL,
    checking_until ${i}
  )${keyedTable};

  CREATE TABLE sync_lock (
    id           ${i} PRIMARY KEY CHECK (id = 1),
    token        ${t} NOT NULL,
    holder       ${t} NOT NULL,
    host         ${t} NOT NULL,
    pid          ${i} NOT NULL,
    started_at   ${t} NOT NULL,
    heartbeat_at ${t} NOT NULL
  );
  CREATE TABLE sync_service (
    id           ${i} PRIMARY KEY CHECK (id = 1),
    token        ${t} NOT NULL,
    host         ${t} NOT NULL,
    pid          ${i} NOT NULL,
    since        ${t} NOT NULL,
    heartbeat_at ${t} NOT NULL,
    next_run_at  ${t},
    stopped_at   ${t}
  );
  CREATE TABLE sync_state (
    id                ${i} PRIMARY KEY CHECK (id = 1),
    failures          ${i} NOT NULL DEFAULT 0,
    last_error        ${t},
    waiting_run_id    ${i},
    waiting_reason    ${t},
    waiting_disables  ${i},
    run_now_at        ${t},
    run_now_confirmed ${i} NOT NULL DEFAULT 0,
    approved_scope    ${t}
  );
  ${seeded('INSERT INTO sync_state (id) VALUES (1);')}

  CREATE TABLE refused_passwords (
    login_key  ${t} PRIMARY KEY,
    login      ${t} NOT NULL,
    hash       ${t} NOT NULL,
    dc         ${t} NOT NULL,
    refused_at ${t} NOT NULL,
    code       ${t} NOT NULL,
    reason     ${t} NOT NULL
  )${keyedTable};

  CREATE TABLE ou_visibility (
    a ${i} NOT NULL REFERENCES ous(id) ON DELETE CASCADE,
    b ${i} NOT NULL REFERENCES ous(id) ON DELETE CASCADE,
    PRIMARY KEY (a, b),
    CHECK (a < b)
  )${keyedTable};
  CREATE INDEX ou_visibility_by_b ON ou_visibility(b);

  CREATE TABLE published_groups (
    id      ${t} PRIMARY KEY,
    label   ${t} NOT NULL,
    display ${t} NOT NULL
  )${keyedTable};
  CREATE TABLE published_members (
    grp ${t} NOT NULL,
    usr ${t} NOT NULL,
    PRIMARY KEY (grp, usr)
  )${keyedTable};
  CREATE TABLE published_vcards (
    usr ${t} PRIMARY KEY,
    rev ${t} NOT NULL
  )${keyedTable};
  CREATE TABLE publish_state (
    id                 ${i} PRIMARY KEY CHECK (id = 1),
    host               ${t},
    published_revision ${i},
    published_config   ${t},
    last_at            ${t},
    last_full_at       ${t},
    last_counts        ${t},
    last_error         ${t},
    last_error_at      ${t},
    reconcile_needed   ${i} NOT NULL DEFAULT 1,
    lock_token         ${t},
    lock_until         ${i}
  );
  ${seeded('INSERT INTO publish_state (id) VALUES (1);')}
  `;
}
