/**
 * The users database on its two engines, side by side in one run: SQLite (a file) and PostgreSQL (a private
 * cluster on this machine, as the tests start it). Prints figures; asserts nothing. As root, with Debian's
 * postgresql package:   npm run bench:engines
 * (1) copying 20 000 accounts from SQLite into an empty PostgreSQL database (the core of /COPYDATABASE);
 * (2) an account looked up by logon name, as /EXTAUTH's isuser does — 2 000 one after another, p50 / p99;
 * (3) 200 such lookups in flight at once (many extauth requests), total;
 * (4) the users view's first page sorted by display name, with the total, as the console asks.
 * The engines take turns, three rounds; each figure is the median of the rounds. The machine's load is printed
 * before and after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { copyDatabase } from '../electron/core/database/copy-database.ts';
import { PostgresEngine, type PostgresTarget } from '../electron/core/database/engine/postgres-engine.ts';
import type { SqlEngine } from '../electron/core/database/engine/sql-engine.ts';
import { openUsersDatabase } from '../electron/core/database/users-database.ts';
import { accountsPage } from '../electron/core/database/users-view.ts';
import { parseDatabaseSetting } from '../shared/database-setting.ts';
import { createTestDatabase, startTestPostgres, stopTestPostgres } from '../test/support/postgres.ts';
import { fillDatabase } from './fill-database.ts';
import { percentile } from './seed-bench-ou.ts';
import { medianOf as median, runBench } from './bench-kit.ts';

const ACCOUNTS = 20_000;
const ROUNDS = 3;
const LOOKUPS = 2_000;
const IN_FLIGHT = 200;
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms`;
const logonOf = (i: number) => `view${String(i).padStart(6, '0')}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adconsole-bench-engines-'));
// Beside the folder, not in it: the cluster belongs to the postgres user, who cannot enter a 0700 folder of root's.
await runBench(async () => {
  const pg = await startTestPostgres(path.join(os.tmpdir(), `adconsole-bench-pg-${process.pid}`));
  try {
    const file = path.join(dir, 'users.sqlite');
    await fillDatabase(file, ACCOUNTS);
    const sqlite = openUsersDatabase(file);
    const parsed = parseDatabaseSetting(await createTestDatabase(pg, 'bench'));
    if (!parsed.ok) throw new Error(parsed.error);
    const postgres = new PostgresEngine(parsed.target as PostgresTarget);

    let t0 = performance.now();
    const copied = await copyDatabase(sqlite.db!, postgres);
    const copyMs = performance.now() - t0;
    await postgres.exec('ANALYZE');

    const engines: [string, SqlEngine][] = [
      ['SQLite', sqlite.engine],
      ['PostgreSQL', postgres],
    ];
    const figures = new Map(engines.map(([name]) => [name, { p50: [0], p99: [0], burst: [0], view: [0] }]));
    for (const f of figures.values()) for (const list of Object.values(f)) list.length = 0;
    for (let round = 0; round < ROUNDS; round++)
      for (const [name, engine] of engines) {
        const f = figures.get(name)!;
        const times: number[] = [];
        for (let i = 0; i < LOOKUPS; i++) {
          const logon = logonOf((i * 7919 + round) % ACCOUNTS);
          const started = performance.now();
          const row = await engine.get('SELECT * FROM accounts WHERE logon_key = ?', logon);
          times.push(performance.now() - started);
          if (!row) throw new Error(`${name}: ${logon} not found`);
        }
        f.p50.push(percentile(times, 50));
        f.p99.push(percentile(times, 99));
        t0 = performance.now();
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, (_, i) =>
            engine.get('SELECT * FROM accounts WHERE logon_key = ?', logonOf((i * 104_729 + round) % ACCOUNTS)),
          ),
        );
        f.burst.push(performance.now() - t0);
        t0 = performance.now();
        const page = await accountsPage(engine, {
          ouId: null,
          recursive: true,
          search: '',
          sort: 'displayName',
          descending: false,
          offset: 0,
          limit: 200,
        });
        f.view.push(performance.now() - t0);
        if (page.total !== ACCOUNTS) throw new Error(`${name}: the view counts ${page.total}`);
      }
    const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
    const s = figures.get('SQLite')!;
    const p = figures.get('PostgreSQL')!;
    console.log(
      [
        '',
        `${ACCOUNTS} accounts; medians of ${ROUNDS} rounds, the engines taking turns:`,
        '',
        row(['figure', 'SQLite', 'PostgreSQL', 'PostgreSQL / SQLite']),
        row(['---', '---', '---', '---']),
        row([
          `copy SQLite → PostgreSQL (${copied.accounts} accounts, ${copied.ous} OUs, one transaction)`,
          '',
          ms(copyMs),
          '',
        ]),
        row(['isuser lookup p50', ms(median(s.p50)), ms(median(p.p50)), (median(p.p50) / median(s.p50)).toFixed(1)]),
        row(['isuser lookup p99', ms(median(s.p99)), ms(median(p.p99)), (median(p.p99) / median(s.p99)).toFixed(1)]),
        row([
          `${IN_FLIGHT} lookups in flight`,
          ms(median(s.burst)),
          ms(median(p.burst)),
          (median(p.burst) / median(s.burst)).toFixed(1),
        ]),
        row([
          'users view: first page by display name + total',
          ms(median(s.view)),
          ms(median(p.view)),
          (median(p.view) / median(s.view)).toFixed(1),
        ]),
        '',
      ].join('\n'),
    );
    await postgres.close();
    sqlite.close();
  } finally {
    stopTestPostgres(pg);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
