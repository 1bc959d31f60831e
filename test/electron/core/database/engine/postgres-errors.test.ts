/** What a person reads when the PostgreSQL server of the users database cannot be used — on a real server. */
import net from 'node:net';
import { expect, inject, it, onTestFinished } from 'vitest';
import { PostgresEngine, type PostgresTarget } from '../../../../../electron/core/database/engine/postgres-engine.ts';
import { ensurePostgresSchema } from '../../../../../electron/core/database/postgres-schema.ts';
import { explainDatabaseError } from '../../../../../electron/core/database/users-database.ts';
import { parseDatabaseSetting } from '../../../../../shared/database-setting.ts';
import { createTestDatabase } from '../../../../support/postgres.ts';
import { describeOnPostgres } from '../../../../support/sql-engines.ts';

function engineAt(url: string): PostgresEngine {
  const parsed = parseDatabaseSetting(url);
  if (!parsed.ok) throw new Error(parsed.error);
  const engine = new PostgresEngine(parsed.target as PostgresTarget);
  onTestFinished(() => engine.close());
  return engine;
}

/** The Failure a first query through `url` ends in. */
async function failureAt(url: string) {
  const err = await engineAt(url)
    .get('SELECT count(*) AS n FROM accounts')
    .then(
      () => null,
      (e: unknown) => e,
    );
  if (!err) throw new Error(`${url} answered`);
  return explainDatabaseError(err, url);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

describeOnPostgres('errors of the PostgreSQL users database, in words', () => {
  it('says the server does not answer, and where to look, when nothing listens on the port', async () => {
    const failure = await failureAt(`postgresql://adconsole@127.0.0.1:${await freePort()}/users`);
    expect(failure).toMatchObject({ code: 'database-unreachable', hint: expect.stringMatching(/listen_addresses/) });
    expect(failure.message).toMatch(/did not answer: .*ECONNREFUSED/);
  });

  it('says the server name is unknown when DNS has no such name', async () => {
    const failure = await failureAt('postgresql://adconsole@no-such-host.invalid/users');
    expect(failure).toMatchObject({ code: 'database-unreachable', hint: expect.stringMatching(/server name.*DNS/) });
  });

  it('names a database that does not exist, and how to create it', async () => {
    const pg = inject('postgres')!;
    const failure = await failureAt(`postgresql://adconsole@127.0.0.1:${pg.port}/nowhere`);
    expect(failure).toMatchObject({
      code: 'database-missing',
      message: expect.stringMatching(/nowhere does not exist/),
      hint: expect.stringMatching(/CREATE DATABASE/),
    });
  });

  it('says the login was refused, and what to check, for a user that may not log in', async () => {
    const pg = inject('postgres')!;
    const url = await createTestDatabase(pg);
    const role = `nologin_${process.pid}_${Date.now().toString(36)}`;
    await engineAt(url).exec(`CREATE ROLE ${role} NOLOGIN`);
    const failure = await failureAt(url.replace('adconsole@', `${role}@`));
    expect(failure).toMatchObject({ code: 'database-login-failed', hint: expect.stringMatching(/pg_hba\.conf/) });
  });

  it("says the user lacks a right, and what gives it, for a user who does not own the database's tables", async () => {
    const pg = inject('postgres')!;
    const url = await createTestDatabase(pg);
    const owner = engineAt(url);
    await ensurePostgresSchema(owner);
    const role = `reader_${process.pid}_${Date.now().toString(36)}`;
    await owner.exec(`CREATE ROLE ${role} LOGIN`);
    const failure = await failureAt(url.replace('adconsole@', `${role}@`));
    expect(failure).toMatchObject({
      code: 'database-no-rights',
      message: expect.stringMatching(/permission denied/),
      hint: expect.stringMatching(/OWNER TO/),
    });
  });
});
