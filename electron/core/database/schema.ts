/**
 * The users database's schema as numbered migrations. A file records its version in `user_version`;
 * opening an older file applies the missing steps, a newer one is refused (see users-database.ts).
 * Never edit a released step: add the next one.
 */
import type { DatabaseSync } from 'node:sqlite';
import { searchTextOf } from './accounts.ts';
import { BASELINE_VERSION, SCHEMA_STEPS } from './schema-baseline.ts';

export const APPLICATION_ID = 0x41444331; // "ADC1": tells our files from other SQLite files

/** A step is SQL, or — where SQL cannot compute what it stores — code run on the migrating connection. */
export type Migration = string | ((db: DatabaseSync) => void);

export const MIGRATIONS: readonly Migration[] = [
  // 1: the server's OU tree and its accounts.
  `
  CREATE TABLE ous (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES ous(id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
    name_key   TEXT NOT NULL,
    builtin    INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX ous_unique_name ON ous(ifnull(parent_id, 0), name_key);
  INSERT INTO ous (id, parent_id, name, name_key, builtin, created_at)
    VALUES (1, NULL, '_Default', '_default', 1, strftime('%Y-%m-%dT%H:%M:%fZ'));
  CREATE TRIGGER ous_builtin_undeletable BEFORE DELETE ON ous WHEN OLD.builtin = 1
    BEGIN SELECT RAISE(ABORT, 'The built-in OU _Default cannot be deleted.'); END;
  CREATE TRIGGER ous_builtin_unrenamable BEFORE UPDATE OF name, parent_id ON ous WHEN OLD.builtin = 1
    BEGIN SELECT RAISE(ABORT, 'The built-in OU _Default cannot be renamed or moved.'); END;

  CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    logon           TEXT NOT NULL,
    logon_key       TEXT NOT NULL UNIQUE,
    first_name      TEXT NOT NULL DEFAULT '',
    middle_name     TEXT NOT NULL DEFAULT '',
    last_name       TEXT NOT NULL DEFAULT '',
    display_name    TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    department      TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    disabled_by     TEXT CHECK (disabled_by IN ('admin', 'sync')),
    kind            TEXT NOT NULL CHECK (kind IN ('user', 'computer')),
    ou_id           INTEGER NOT NULL REFERENCES ous(id),
    origin          TEXT NOT NULL CHECK (origin IN ('local', 'ad')),
    ad_guid         TEXT UNIQUE,
    ad_dn           TEXT,
    ad_usn          INTEGER,
    ad_when_changed TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    synced_at       TEXT,
    CHECK (origin = 'ad' OR ad_guid IS NULL)
  );
  CREATE INDEX accounts_by_ou ON accounts(ou_id);
  `,
  // 2: import runs, their per-account actions (audit trail and report), incremental-sync marks.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('revision', '0');

  CREATE TABLE import_runs (
    id          INTEGER PRIMARY KEY,
    mode        TEXT NOT NULL CHECK (mode IN ('new', 'add', 'sync', 'on-the-fly')),
    source      TEXT NOT NULL,
    started_by  TEXT NOT NULL CHECK (started_by IN ('wizard', 'command-line', 'on-the-fly')),
    incremental INTEGER NOT NULL DEFAULT 0,
    dc          TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('succeeded', 'failed', 'cancelled', 'stopped')),
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    disabled    INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    conflicts   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    backup      TEXT
  );

  CREATE TABLE run_actions (
    run_id  INTEGER NOT NULL REFERENCES import_runs(id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    action  TEXT NOT NULL,
    logon   TEXT NOT NULL,
    ad_dn   TEXT,
    ad_guid TEXT,
    changes TEXT,
    reason  TEXT,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE sync_marks (
    source_key       TEXT PRIMARY KEY,
    dc_host          TEXT NOT NULL,
    invocation_id    TEXT NOT NULL,
    usn              INTEGER NOT NULL,
    since_full       INTEGER NOT NULL,
    last_full_at     TEXT NOT NULL,
    last_seen        INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // 3: a run is recorded as running when it starts, with the host and process that runs it, so that a
  // run whose process died is found later and marked interrupted (finished_at is empty until it ends).
  `
  CREATE TABLE import_runs_3 (
    id          INTEGER PRIMARY KEY,
    mode        TEXT NOT NULL CHECK (mode IN ('new', 'add', 'sync', 'on-the-fly')),
    source      TEXT NOT NULL,
    started_by  TEXT NOT NULL CHECK (started_by IN ('wizard', 'command-line', 'on-the-fly')),
    incremental INTEGER NOT NULL DEFAULT 0,
    dc          TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'stopped',
      'interrupted')),
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    disabled    INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    conflicts   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    backup      TEXT,
    host        TEXT,
    pid         INTEGER,
    CHECK ((status = 'running') = (finished_at IS NULL))
  );
  INSERT INTO import_runs_3 (id, mode, source, started_by, incremental, dc, started_at, finished_at, status,
    created, updated, disabled, enabled, unchanged, skipped, conflicts, failed, error, backup)
    SELECT id, mode, source, started_by, incremental, dc, started_at, finished_at, status, created, updated,
      disabled, enabled, unchanged, skipped, conflicts, failed, error, backup FROM import_runs;
  DROP TABLE import_runs;
  ALTER TABLE import_runs_3 RENAME TO import_runs;
  CREATE INDEX import_runs_running ON import_runs(status) WHERE status = 'running';

  -- uSNChanged is per domain controller: each DC a source was read from keeps its own mark, so that a
  -- sync on another DC starts from that DC's own mark (or reads everything), never from another's.
  CREATE TABLE dc_marks (
    source_key    TEXT NOT NULL,
    invocation_id TEXT NOT NULL,
    dc_host       TEXT NOT NULL,
    usn           INTEGER NOT NULL,
    read_at       TEXT NOT NULL,
    PRIMARY KEY (source_key, invocation_id)
  ) WITHOUT ROWID;
  INSERT INTO dc_marks (source_key, invocation_id, dc_host, usn, read_at)
    SELECT source_key, invocation_id, dc_host, usn, last_full_at FROM sync_marks;
  `,
  // 4: the IM server logs users on through this database. Local accounts get a password (a salted
  // scrypt hash; AD accounts never have one), every account its last logon, and failed password checks
  // are counted here — shared by all of ejabberd's extauth processes — so that they never lock an AD
  // account out. Account actions (a local account added, disabled, deleted…) join the history.
  `
  ALTER TABLE accounts ADD COLUMN password_hash TEXT CHECK (password_hash IS NULL OR origin = 'local');
  ALTER TABLE accounts ADD COLUMN last_logon_at TEXT;

  CREATE TABLE logon_failures (
    account_key    TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    -- milliseconds since 1970: compared with the domain's observation window
    last_failed_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE import_runs_4 (
    id          INTEGER PRIMARY KEY,
    mode        TEXT NOT NULL CHECK (mode IN ('new', 'add', 'sync', 'on-the-fly', 'account')),
    source      TEXT NOT NULL,
    started_by  TEXT NOT NULL CHECK (started_by IN ('wizard', 'command-line', 'on-the-fly', 'console')),
    incremental INTEGER NOT NULL DEFAULT 0,
    dc          TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'stopped',
      'interrupted')),
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    disabled    INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    conflicts   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    backup      TEXT,
    host        TEXT,
    pid         INTEGER,
    CHECK ((status = 'running') = (finished_at IS NULL))
  );
  INSERT INTO import_runs_4 SELECT * FROM import_runs;
  DROP TABLE import_runs;
  ALTER TABLE import_runs_4 RENAME TO import_runs;
  CREATE INDEX import_runs_running ON import_runs(status) WHERE status = 'running';
  `,
  // 5: the scheduled sync. One sync at a time per users database, whoever runs it (sync_lock: holder,
  // host, pid and a heartbeat, so that a dead holder is recognised); the service's check-ins
  // (sync_service); the schedule's shared state (sync_state: consecutive failures, a run waiting for an
  // administrator's confirmation, a Run now request, and the scope last run or previewed, which pauses the
  // schedule when the settings change what a sync would do). The service starts runs too.
  `
  CREATE TABLE sync_lock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    token        TEXT NOT NULL,
    holder       TEXT NOT NULL,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    started_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );
  CREATE TABLE sync_service (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    token        TEXT NOT NULL,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    since        TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL,
    next_run_at  TEXT,
    -- set when the service ended on its own (stopped by the administrator), so it is not "missing"
    stopped_at   TEXT
  );
  CREATE TABLE sync_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    failures        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    waiting_run_id  INTEGER,
    waiting_reason  TEXT,
    waiting_disables INTEGER,
    run_now_at      TEXT,
    run_now_confirmed INTEGER NOT NULL DEFAULT 0,
    approved_scope  TEXT
  );
  INSERT INTO sync_state (id) VALUES (1);

  CREATE TABLE import_runs_5 (
    id          INTEGER PRIMARY KEY,
    mode        TEXT NOT NULL CHECK (mode IN ('new', 'add', 'sync', 'on-the-fly', 'account')),
    source      TEXT NOT NULL,
    started_by  TEXT NOT NULL CHECK (started_by IN ('wizard', 'command-line', 'on-the-fly', 'console', 'service')),
    incremental INTEGER NOT NULL DEFAULT 0,
    dc          TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'stopped',
      'interrupted')),
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    disabled    INTEGER NOT NULL DEFAULT 0,
    enabled     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    conflicts   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    error       TEXT,
    backup      TEXT,
    host        TEXT,
    pid         INTEGER,
    CHECK ((status = 'running') = (finished_at IS NULL))
  );
  INSERT INTO import_runs_5 SELECT * FROM import_runs;
  DROP TABLE import_runs;
  ALTER TABLE import_runs_5 RENAME TO import_runs;
  CREATE INDEX import_runs_running ON import_runs(status) WHERE status = 'running';
  `,
  // 6: a password a domain controller refused for the service account is never sent again, by any process
  // on this database (retrying it is how service accounts get locked out): the login ID it was refused for,
  // a salted scrypt hash of it (never the password), which DC refused it, when and why. A bind with it that
  // succeeds — a new password, or an administrator's Test connection — clears it.
  `
  CREATE TABLE refused_passwords (
    login_key  TEXT PRIMARY KEY,
    login      TEXT NOT NULL,
    hash       TEXT NOT NULL,
    dc         TEXT NOT NULL,
    refused_at TEXT NOT NULL,
    code       TEXT NOT NULL,
    reason     TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 7: a password check holds its account while it runs (checking_until: a lease that a process which died
  // holding it loses), so that no other process checks a password of that account between reading the
  // account's own badPwdCount on the DC and binding.
  `
  ALTER TABLE logon_failures ADD COLUMN checking_until INTEGER;
  `,
  // 8: deletions of local accounts are counted as deletions; and why a disabled account is disabled, in words
  // that are true: 'ad' (disabled in Active Directory),
  // 'sync' (a full sync found it gone from the import source), 'admin' (an administrator, in the console).
  // Until now 'sync' stood for both AD reasons; the history tells them apart (the last create or disable of
  // the account said "disabled in Active Directory"), and local accounts disabled in the console get 'admin'.
  `
  CREATE TABLE accounts_8 (
    id              INTEGER PRIMARY KEY,
    logon           TEXT NOT NULL,
    logon_key       TEXT NOT NULL UNIQUE,
    first_name      TEXT NOT NULL DEFAULT '',
    middle_name     TEXT NOT NULL DEFAULT '',
    last_name       TEXT NOT NULL DEFAULT '',
    display_name    TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    department      TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    disabled_by     TEXT CHECK (disabled_by IN ('admin', 'sync', 'ad')),
    kind            TEXT NOT NULL CHECK (kind IN ('user', 'computer')),
    ou_id           INTEGER NOT NULL REFERENCES ous(id),
    origin          TEXT NOT NULL CHECK (origin IN ('local', 'ad')),
    ad_guid         TEXT UNIQUE,
    ad_dn           TEXT,
    ad_usn          INTEGER,
    ad_when_changed TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    synced_at       TEXT,
    password_hash   TEXT CHECK (password_hash IS NULL OR origin = 'local'),
    last_logon_at   TEXT,
    CHECK (origin = 'ad' OR ad_guid IS NULL)
  );
  INSERT INTO accounts_8 SELECT * FROM accounts;
  DROP TABLE accounts;
  ALTER TABLE accounts_8 RENAME TO accounts;
  CREATE INDEX accounts_by_ou ON accounts(ou_id);
  UPDATE accounts SET disabled_by = 'ad'
    WHERE enabled = 0 AND disabled_by = 'sync' AND ad_guid IS NOT NULL AND (
      SELECT reason FROM run_actions r WHERE r.ad_guid = accounts.ad_guid AND r.action IN ('create', 'disable')
      ORDER BY r.run_id DESC, r.seq DESC LIMIT 1
    ) LIKE 'disabled in Active Directory%';
  UPDATE accounts SET disabled_by = 'admin' WHERE enabled = 0 AND origin = 'local' AND disabled_by IS NULL;

  -- An administrator's deletion of local accounts is counted as such (it was counted as "disabled").
  ALTER TABLE import_runs ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  UPDATE import_runs SET deleted = disabled, disabled = 0 WHERE mode = 'account' AND source LIKE '%: deleted';
  UPDATE run_actions SET action = 'delete' WHERE action = 'disable' AND reason = 'deleted by the administrator';
  `,
  // 9: what search and Find… look in, folded (without case or accents), kept with each account; computed in
  // the application (SQLite cannot fold accents), by every write of a person field.
  (db) => {
    db.exec("ALTER TABLE accounts ADD COLUMN search_text TEXT NOT NULL DEFAULT ''");
    const set = db.prepare('UPDATE accounts SET search_text = ? WHERE id = ?');
    for (const row of db
      .prepare('SELECT id, logon, display_name, first_name, middle_name, last_name, email, department FROM accounts')
      .all() as Record<string, string & number>[])
      set.run(
        searchTextOf({
          logon: row.logon!,
          displayName: row.display_name!,
          firstName: row.first_name!,
          middleName: row.middle_name!,
          lastName: row.last_name!,
          email: row.email!,
          department: row.department!,
        }),
        row.id!,
      );
  },
  // 10: which server OUs see which in the IM network (their users' contact lists). Two-way: an OU that sees
  // every OU (sees_all, the default) is seen by every OU; the others see the OUs paired with them
  // (ou_visibility, one row per pair, the smaller id first) and those that see all. An OU always sees itself.
  `
  ALTER TABLE ous ADD COLUMN sees_all INTEGER NOT NULL DEFAULT 1 CHECK (sees_all IN (0, 1));
  CREATE TABLE ou_visibility (
    a INTEGER NOT NULL REFERENCES ous(id) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES ous(id) ON DELETE CASCADE,
    PRIMARY KEY (a, b),
    CHECK (a < b)
  ) WITHOUT ROWID;
  CREATE INDEX ou_visibility_by_b ON ou_visibility(b);
  `,
  // 11: the directory on the IM server. Each account's photo (a JPEG of at most 96×96, base64; '' = none) and
  // the uSNChanged it was read at, so that a sync reads a photo again only when the account changed. What was
  // last published to the IM server (its groups, their members, each vCard's REV) so that a publish sends only
  // the difference, and the publisher's state: one publish at a time (a lease), what it last did or why not.
  `
  ALTER TABLE accounts ADD COLUMN photo TEXT NOT NULL DEFAULT '';
  ALTER TABLE accounts ADD COLUMN photo_usn INTEGER;
  CREATE TABLE published_groups (
    id      TEXT PRIMARY KEY,
    label   TEXT NOT NULL,
    display TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE published_members (
    grp TEXT NOT NULL,
    usr TEXT NOT NULL,
    PRIMARY KEY (grp, usr)
  ) WITHOUT ROWID;
  CREATE TABLE published_vcards (
    usr TEXT PRIMARY KEY,
    rev TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE publish_state (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    host               TEXT,
    published_revision INTEGER,
    published_config   TEXT,
    last_at            TEXT,
    last_full_at       TEXT,
    last_counts        TEXT,
    last_error         TEXT,
    last_error_at      TEXT,
    reconcile_needed   INTEGER NOT NULL DEFAULT 1,
    lock_token         TEXT,
    lock_until         INTEGER
  );
  INSERT INTO publish_state (id) VALUES (1);
  `,
];

/** MIGRATIONS lead a SQLite file up to the baseline; SCHEMA_STEPS go on from there on both engines. */
export const SCHEMA_VERSION = MIGRATIONS.length + SCHEMA_STEPS.length;
if (MIGRATIONS.length !== BASELINE_VERSION) throw new Error('MIGRATIONS must end at the baseline (schema-baseline.ts)');
