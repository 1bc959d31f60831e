/**
 * The users view's Find and the preview's sorting at 100 000 accounts, measured. Prints figures; asserts nothing.
 *   npm run bench:workplace
 * (1) Find… over 100 000 accounts in a real SQLite file (a page of 200 and the total, as the view asks), next to
 *     the baseline measured in the same run: the bare SQL count of the same condition.
 * (2) Sorting a 100 000-row preview by each column (what the first import.plan page of a new order costs), next
 *     to the baseline: a plain sort of the same rows by logon with `<` (no collation). The preview computes its
 *     name columns' order keys as it is kept (printed); the other columns' keys at their first sort (the
 *     first and the next sorts are printed apart).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { databaseFile, openUsersDatabase } from '../electron/core/database/users-database.ts';
import { accountsPage } from '../electron/core/database/users-view.ts';
import { Preview } from '../electron/core/import/plan-view.ts';
import { PLAN_SORT_COLUMNS } from '../shared/contract.ts';
import type { PlannedAction } from '../shared/import-run.ts';
import { EMPTY_FIND } from '../shared/users-view.ts';
import { alternate, medianOf as median, runBench } from './bench-kit.ts';
import { fillDatabase } from './fill-database.ts';

const ACCOUNTS = 100_000;
const ROUNDS = 5;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const timeOf = async (work: () => unknown): Promise<number> => {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
};
/** Contenders in turn, ROUNDS rounds: each one's median. */
async function inTurn<K extends string>(contenders: Record<K, () => unknown>): Promise<Record<K, number>> {
  const runs = await alternate(
    ROUNDS,
    Object.fromEntries(Object.entries(contenders).map(([k, work]) => [k, () => timeOf(work as () => unknown)])),
  );
  return Object.fromEntries(Object.entries(runs).map(([k, times]) => [k, median(times as number[])])) as Record<
    K,
    number
  >;
}

await runBench(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adconsole-bench-workplace-'));
  try {
    await fillDatabase(databaseFile(dir), ACCOUNTS);
    const database = openUsersDatabase(databaseFile(dir));
    const { engine } = database;
    const db = database.db!;
    console.log(
      `(1) Find… over ${ACCOUNTS.toLocaleString('en-US')} accounts (medians of ${ROUNDS}, contenders in turn)`,
    );
    const finds: [string, typeof EMPTY_FIND, string, unknown[]][] = [
      ['department contains "eng"', { ...EMPTY_FIND, department: 'eng' }, 'department LIKE ?', ['%eng%']],
      [
        'name contains "User 0123"',
        { ...EMPTY_FIND, name: 'User 0123' },
        '(display_name LIKE ? OR first_name LIKE ? OR last_name LIKE ?)',
        ['%User 0123%', '%User 0123%', '%User 0123%'],
      ],
      [
        'OU "Team 10", disabled',
        { ...EMPTY_FIND, ou: 'Team 10', enabled: 'no' },
        'ou_id IN (SELECT id FROM ous WHERE name LIKE ?) AND enabled = 0',
        ['%Team 10%'],
      ],
    ];
    for (const [label, find, where, params] of finds) {
      let total = 0;
      const { view, bare } = await inTurn({
        view: async () => {
          total = (
            await accountsPage(engine, {
              ouId: null,
              recursive: true,
              search: '',
              find,
              sort: 'logon',
              descending: false,
              offset: 0,
              limit: 200,
            })
          ).total;
        },
        bare: () => db.prepare(`SELECT count(*) AS n FROM accounts WHERE ${where}`).get(...(params as string[])),
      });
      console.log(
        `  ${label}: ${total.toLocaleString('en-US')} found, page + total ${ms(view)}; bare SQL count ${ms(bare)}`,
      );
    }
    const sorts = ['logon', 'displayName', 'ou', 'lastLogonAt', 'adDn'] as const;
    const pages = await inTurn(
      Object.fromEntries(
        sorts.map((sort) => [
          sort,
          () =>
            accountsPage(engine, {
              ouId: null,
              recursive: true,
              search: '',
              sort,
              descending: false,
              offset: 0,
              limit: 200,
            }),
        ]),
      ) as Record<(typeof sorts)[number], () => unknown>,
    );
    for (const sort of sorts) console.log(`  sorted by ${sort}: first page + total ${ms(pages[sort])}`);
    database.close();

    console.log(`(2) Sorting a ${ACCOUNTS.toLocaleString('en-US')}-row preview (medians of ${ROUNDS}, in turn)`);
    const actions = ['create', 'update', 'disable', 'unchanged'] as const;
    const plan: PlannedAction[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
      action: actions[i % actions.length]!,
      logon: `user${(i * 7919) % ACCOUNTS}`,
      dn: `CN=User ${i},OU=Team ${i % 20},OU=Company,DC=corp,DC=example,DC=test`,
      guid: null,
      changes: i % 4 === 1 ? { title: { from: 'Clerk', to: `Manager ${i % 50}` } } : null,
      reason: i % 4 === 2 ? 'disabled in Active Directory' : null,
      targetOu: `Company/Team ${i % 20}`,
      displayName: `User ${(i * 7919) % ACCOUNTS}`,
    }));
    const plainSort = () => plan.toSorted((a, b) => (a.logon < b.logon ? -1 : a.logon > b.logon ? 1 : 0));
    // Each column's first sort makes its keys (printed apart); then the baseline and every column take turns.
    const preview = new Preview(plan);
    const first: Record<string, number> = {};
    for (const column of PLAN_SORT_COLUMNS) first[column] = await timeOf(() => preview.sorted('all', column, false));
    const turns = await inTurn({
      baseline: plainSort,
      kept: () => new Preview(plan),
      ...Object.fromEntries(PLAN_SORT_COLUMNS.map((column) => [column, () => preview.sorted('all', column, true)])),
    });
    const baseline = turns.baseline;
    console.log(`  baseline: plain sort by logon ${ms(baseline)}`);
    console.log(`  keeping the preview (its order, the names' order keys): ${ms(turns.kept)}`);
    for (const column of PLAN_SORT_COLUMNS) {
      const next = (turns as Record<string, number>)[column]!;
      console.log(
        `  by ${column}: first ${ms(first[column]!)}, then ${ms(next)}  (${(next / baseline).toFixed(2)} × baseline)`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
