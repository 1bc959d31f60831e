import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EncryptedFileVault,
  SessionVault,
  type SecretCipher,
} from '../../../../electron/core/secrets/password-vault.ts';
import { openSettingsFile } from '../../../../electron/core/settings/conf-file.ts';
import { tempDir } from '../../../support/temp-dir.ts';

/** A stand-in for safeStorage (pure unit test): reversible, and visibly not the plain text. */
const fakeCipher: SecretCipher = {
  info: () => ({ persistent: true, description: 'test cipher' }),
  encrypt: (plain) => Buffer.from(plain).reverse().toString('base64'),
  decrypt: (sealed) => Buffer.from(sealed, 'base64').reverse().toString(),
};
const target = { login: 'CORP\\svc', server: 'dc1.corp.example.test' };

describe('EncryptedFileVault', () => {
  it('keeps only the sealed password in the settings file, bound to its target', () => {
    const dir = tempDir();
    const vault = new EncryptedFileVault(openSettingsFile(dir), fakeCipher);
    vault.store('Pa55word!', target);
    expect(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).not.toContain('Pa55word!');
    expect(vault.read(target)).toBe('Pa55word!');
    expect(vault.read({ ...target, login: 'CORP\\Svc' })).toBe('Pa55word!');
    expect(vault.read({ ...target, server: 'other' })).toBeNull();
    expect(vault.read({ ...target, login: 'CORP\\admin' })).toBeNull();
  });

  it('survives a restart (a new vault on the same file)', () => {
    const dir = tempDir();
    new EncryptedFileVault(openSettingsFile(dir), fakeCipher).store('pw', target);
    expect(new EncryptedFileVault(openSettingsFile(dir), fakeCipher).read(target)).toBe('pw');
  });

  it('treats a password it cannot decrypt as absent', () => {
    const dir = tempDir();
    new EncryptedFileVault(openSettingsFile(dir), fakeCipher).store('pw', target);
    const locked = new EncryptedFileVault(openSettingsFile(dir), {
      ...fakeCipher,
      decrypt: () => {
        throw new Error('other user');
      },
    });
    expect(locked.read(target)).toBeNull();
    expect(locked.target()).toEqual(target);
  });

  it('refuses to store where the cipher offers no protection', () => {
    const vault = new EncryptedFileVault(openSettingsFile(tempDir()), {
      ...fakeCipher,
      info: () => ({ persistent: false, description: 'no keyring' }),
    });
    expect(() => vault.store('pw', target)).toThrow(/no keyring/);
  });
});

describe('SessionVault', () => {
  it('keeps the password in memory only and says so', () => {
    const vault = new SessionVault('No keyring.');
    vault.store('pw', target);
    expect(vault.read(target)).toBe('pw');
    expect(vault.info()).toMatchObject({
      persistent: false,
      description: expect.stringMatching(/No keyring\. .*never written to disk/),
    });
    vault.clear();
    expect(vault.read(target)).toBeNull();
  });
});
