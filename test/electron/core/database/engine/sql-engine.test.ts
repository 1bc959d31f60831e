/** The users database's seam behaves the same on SQLite and on a real PostgreSQL server. */
import { expect, it } from 'vitest';
import { nameKey } from '../../../../../electron/core/database/ou-tree.ts';
import { refusedForItsData } from '../../../../../electron/core/database/engine/sql-engine.ts';
import { describeOnEngines } from '../../../../support/sql-engines.ts';

describeOnEngines('the $name engine', ({ fresh }) => {
  const table = (autoId: string, text: string) =>
    `CREATE TABLE people (id ${autoId}, name TEXT NOT NULL, name_key ${text} NOT NULL UNIQUE, ` +
    'visits INTEGER NOT NULL DEFAULT 0, note TEXT)';

  it('answers the product SQL the same way: ? placeholders, upserts, RETURNING, counts as numbers', async () => {
    const { engine } = await fresh();
    await engine.exec(table(engine.dialect.autoId, engine.dialect.text));
    const upsert =
      'INSERT INTO people (name, name_key, visits) VALUES (?, ?, 1) ON CONFLICT (name_key) DO UPDATE SET ' +
      'visits = people.visits + 1, name = excluded.name RETURNING id, visits';
    const first = await engine.get<{ id: number; visits: number }>(upsert, 'Zoë', nameKey('Zoë'));
    const again = await engine.get<{ id: number; visits: number }>(upsert, 'ZOË', nameKey('ZOË'));
    expect(again).toEqual({ id: first!.id, visits: 2 });
    expect(typeof first!.id).toBe('number');
    await engine.run("INSERT INTO people (name, name_key, note) VALUES (?, ?, 'what? no')", 'Ann', 'ann');
    expect(await engine.get('SELECT count(*) AS n, max(visits) AS most FROM people')).toEqual({ n: 2, most: 2 });
    expect(
      await engine.all('SELECT name, note FROM people WHERE name_key IN (?, ?) ORDER BY name_key', 'ann', 'x'),
    ).toEqual([{ name: 'Ann', note: 'what? no' }]);
    expect(await engine.run('UPDATE people SET visits = visits + 1')).toEqual({ changes: 2 });
    expect(await engine.get('SELECT * FROM people WHERE name_key = ?', 'nobody')).toBeUndefined();
  });

  it('tells a write refused for its data (a taken key, a failed check) from a statement that cannot run', async () => {
    const { engine } = await fresh();
    await engine.exec(table(engine.dialect.autoId, engine.dialect.text));
    await engine.run('INSERT INTO people (name, name_key) VALUES (?, ?)', 'Ann', 'ann');
    const failure = (sql: string, ...params: (string | null)[]) =>
      engine.run(sql, ...params).then(
        () => null,
        (err: unknown) => err,
      );
    expect(refusedForItsData(await failure('INSERT INTO people (name, name_key) VALUES (?, ?)', 'ANN', 'ann'))).toBe(
      true,
    );
    expect(refusedForItsData(await failure('INSERT INTO people (name, name_key) VALUES (?, ?)', null, 'cy'))).toBe(
      true,
    );
    expect(refusedForItsData(await failure('INSERT INTO people (name) VALUES (CAST(? AS TEXT COLLATE))', 'x'))).toBe(
      false,
    );
    expect(refusedForItsData(await failure('SELECT * FROM nowhere'))).toBe(false);
  });

  it('rolls back a write whose work throws, and nothing of it stays', async () => {
    const { engine } = await fresh();
    await engine.exec(table(engine.dialect.autoId, engine.dialect.text));
    await expect(
      engine.write(async (tx) => {
        await tx.run('INSERT INTO people (name, name_key) VALUES (?, ?)', 'Ann', 'ann');
        await tx.run('INSERT INTO people (name, name_key) VALUES (?, ?)', 'ANN', 'ann');
      }),
    ).rejects.toThrow(/unique/i);
    expect(await engine.all('SELECT * FROM people')).toEqual([]);
    // The connection is usable afterwards, and a write that succeeds commits.
    expect(await engine.write((tx) => tx.run('INSERT INTO people (name, name_key) VALUES (?, ?)', 'Bo', 'bo'))).toEqual(
      { changes: 1 },
    );
    expect(await engine.get('SELECT name FROM people')).toEqual({ name: 'Bo' });
  });

  it('lets one writer in at a time across connections: racing read-modify-write increments lose none', async () => {
    const { engine, connect } = await fresh();
    await engine.exec('CREATE TABLE counter (n INTEGER NOT NULL)');
    await engine.run('INSERT INTO counter (n) VALUES (0)');
    const other = await connect();
    const increments = (e: typeof engine) =>
      Array.from({ length: 40 }, () =>
        e.write(async (tx) => {
          const { n } = (await tx.get<{ n: number }>('SELECT n FROM counter'))!;
          await new Promise((r) => setImmediate(r)); // another connection's turn, if the lock let it in
          await tx.run('UPDATE counter SET n = ?', n + 1);
        }),
      );
    await Promise.all([...increments(engine), ...increments(other)]);
    expect(await other.get('SELECT n FROM counter')).toEqual({ n: 80 });
  });

  it('copies rows, few or many, with tabs, newlines, backslashes, quotes, non-ASCII and nulls intact', async () => {
    const { engine } = await fresh();
    await engine.exec('CREATE TABLE notes (k INTEGER NOT NULL, body TEXT)');
    const bodies = [
      'tab\there',
      'line\nbreak\r\n',
      'back\\slash \\N',
      'it\'s "quoted"',
      'Дмитриева Zoë 東京',
      null,
      '',
    ];
    // A few rows, the most that go in one statement and one more, and many (a COPY on PostgreSQL); from a generator.
    for (const count of [0, bodies.length, 20, 21, 600]) {
      await engine.exec('DELETE FROM notes');
      const wanted = Array.from({ length: count }, (_, k) => bodies[k % bodies.length]!);
      const copied = await engine.copyRows(
        'notes',
        ['k', 'body'],
        (function* () {
          for (const [k, b] of wanted.entries()) yield [k, b];
        })(),
      );
      expect(copied, `${count} rows`).toBe(count);
      const rows = await engine.all<{ k: number; body: string | null }>('SELECT k, body FROM notes ORDER BY k');
      expect(
        rows.map((r) => r.body),
        `${count} rows`,
      ).toEqual(wanted);
    }
  });

  it('sorts and matches keys computed in the application byte for byte', async () => {
    const { engine } = await fresh();
    await engine.exec(table(engine.dialect.autoId, engine.dialect.text));
    const names = [
      'Zoë',
      'Zoe\u0308',
      'zoe',
      'Дмитриева',
      'ДМИТРИЕВА',
      'İlker',
      'ilker',
      'Åsa',
      'Öberg',
      'abe',
      'Abe2',
    ];
    const keys = [...new Set(names.map(nameKey))];
    for (const key of keys) await engine.run('INSERT INTO people (name, name_key) VALUES (?, ?)', key, key);
    // NFC makes the two spellings of Zoë one key; lower case makes Дмитриева one; İ keeps its dot (not "i").
    expect(keys).toHaveLength(9);
    const sorted = (await engine.all<{ name_key: string }>('SELECT name_key FROM people ORDER BY name_key')).map(
      (r) => r.name_key,
    );
    expect(sorted).toEqual([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(await engine.get('SELECT name FROM people WHERE name_key = ?', nameKey('ZOË'))).toEqual({ name: 'zoë' });
    expect(await engine.get('SELECT name FROM people WHERE name_key = ?', 'zoe')).toEqual({ name: 'zoe' });
  });
});
