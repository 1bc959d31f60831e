import { describe, expect, it } from 'vitest';
import { type DatabaseTarget, parseDatabaseSetting } from '../../shared/database-setting.ts';

const target = (text: string) => {
  const parsed = parseDatabaseSetting(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.target as Extract<DatabaseTarget, { engine: 'postgresql' }>;
};
const error = (text: string) => {
  const parsed = parseDatabaseSetting(text);
  if (parsed.ok) throw new Error(`accepted: ${JSON.stringify(parsed.target)}`);
  return parsed.error;
};

describe('parseDatabaseSetting', () => {
  it('takes an empty setting as the built-in SQLite file', () => {
    expect(parseDatabaseSetting('')).toEqual({ ok: true, target: { engine: 'sqlite' } });
    expect(parseDatabaseSetting('   ')).toEqual({ ok: true, target: { engine: 'sqlite' } });
  });

  it('reads a PostgreSQL URL: user, server, port (5432 by default), database', () => {
    expect(target('postgresql://adconsole@db.corp.example/users')).toMatchObject({
      engine: 'postgresql',
      host: 'db.corp.example',
      port: 5432,
      database: 'users',
      user: 'adconsole',
      tls: 'verify-full',
      caFile: null,
    });
    expect(target('postgres://svc%40corp@10.0.0.5:6432/im_users')).toMatchObject({ user: 'svc@corp', port: 6432 });
  });

  it('needs no TLS on this machine, and verifies the certificate anywhere else', () => {
    expect(target('postgresql://a@127.0.0.1:55432/d').tls).toBe('disable');
    expect(target('postgresql://a@localhost/d').tls).toBe('disable');
    expect(target('postgresql://a@[::1]/d')).toMatchObject({ host: '::1', tls: 'disable' });
    expect(target('postgresql://a@127.0.0.1/d?sslmode=require').tls).toBe('require');
    expect(target('postgresql://a@db/d?sslmode=verify-ca&sslrootcert=/etc/ssl/corp.pem')).toMatchObject({
      tls: 'verify-ca',
      caFile: '/etc/ssl/corp.pem',
    });
  });

  it('refuses to send the users database unencrypted or unverified across the network', () => {
    expect(error('postgresql://a@db.corp.example/d?sslmode=disable')).toMatch(/not this machine.*unencrypted/);
    expect(error('postgresql://a@10.1.2.3/d?sslmode=require')).toMatch(/certificate nobody checks/);
  });

  it('refuses a password in the URL and says where it goes instead', () => {
    expect(error('postgresql://a:secret@db/d')).toMatch(/PGPASSWORD.*databasePasswordFile/);
  });

  it('says what is wrong with a URL it cannot use', () => {
    expect(error('users.db')).toMatch(/not a database URL/);
    expect(error('mysql://a@db/d')).toMatch(/not mysql:/);
    expect(error('postgresql://db/d')).toMatch(/Name the PostgreSQL user/);
    expect(error('postgresql://a@db')).toMatch(/Name the database/);
    expect(error('postgresql://a@db/"x; drop"')).toMatch(/not a database name/);
    expect(error('postgresql://a@db/d?sslmode=prefer')).toMatch(/sslmode=prefer is not one of/);
    expect(error('postgresql://a@db/d?connect_timeout=5')).toMatch(/Unknown URL parameter connect_timeout/);
    expect(error('postgresql://a@127.0.0.1/d?sslrootcert=/ca.pem')).toMatch(/add sslmode=verify-full/);
  });
});
