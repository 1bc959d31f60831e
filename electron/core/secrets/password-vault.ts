/**
 * The stored LDAP password. It is kept only where the platform can protect it (Electron safeStorage:
 * DPAPI, Keychain, libsecret) and is bound to the login ID and server it was typed for, so that a
 * changed target never receives an old password (one wrong bind too many locks a service account out).
 */
import type { SecureStorageInfo } from '../../../shared/contract.ts';
import { sameTarget, type PasswordTarget } from '../../../shared/password-target.ts';
import type { KeyValueFile } from '../settings/settings-store.ts';

/** Encrypts with an OS-protected key. Implemented by the Electron glue around `safeStorage`. */
export interface SecretCipher {
  info(): SecureStorageInfo;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export interface PasswordVault {
  info(): SecureStorageInfo;
  target(): PasswordTarget | null;
  store(password: string, target: PasswordTarget): void;
  /** The password, only when the target matches the one it was stored for. */
  read(target: PasswordTarget): string | null;
  clear(): void;
}

interface SealedRecord extends PasswordTarget {
  sealed: string;
}

/** Keeps the encrypted password in the settings file, next to the target it belongs to. */
export class EncryptedFileVault implements PasswordVault {
  private readonly file: KeyValueFile;
  private readonly cipher: SecretCipher;
  constructor(file: KeyValueFile, cipher: SecretCipher) {
    this.file = file;
    this.cipher = cipher;
  }
  info(): SecureStorageInfo {
    return this.cipher.info();
  }
  private record(): SealedRecord | null {
    const raw = this.file.get('password') as Partial<SealedRecord> | undefined;
    return raw && typeof raw.sealed === 'string' && typeof raw.login === 'string' && typeof raw.server === 'string'
      ? (raw as SealedRecord)
      : null;
  }
  target(): PasswordTarget | null {
    const r = this.record();
    return r ? { login: r.login, server: r.server } : null;
  }
  store(password: string, target: PasswordTarget): void {
    if (!this.cipher.info().persistent) throw new Error(this.cipher.info().description);
    this.file.set('password', { sealed: this.cipher.encrypt(password), login: target.login, server: target.server });
  }
  read(target: PasswordTarget): string | null {
    const r = this.record();
    if (!r || !sameTarget(r, target)) return null;
    try {
      return this.cipher.decrypt(r.sealed);
    } catch {
      return null; // sealed by another user or machine: as good as absent
    }
  }
  clear(): void {
    this.file.delete('password');
  }
}

/**
 * Where no OS secret store exists (plain Node: the browser console, Linux without a keyring) the password
 * is kept in this process's memory only — never written to a file — and the UI says so.
 */
export class SessionVault implements PasswordVault {
  private entry: (PasswordTarget & { password: string }) | null = null;
  private readonly why: string;
  constructor(why: string) {
    this.why = why;
  }
  info(): SecureStorageInfo {
    return {
      persistent: false,
      description:
        `${this.why} The password is kept in memory only until the console closes; it is never ` + `written to disk.`,
    };
  }
  target(): PasswordTarget | null {
    return this.entry ? { login: this.entry.login, server: this.entry.server } : null;
  }
  store(password: string, target: PasswordTarget): void {
    this.entry = { password, ...target };
  }
  read(target: PasswordTarget): string | null {
    return this.entry && sameTarget(this.entry, target) ? this.entry.password : null;
  }
  clear(): void {
    this.entry = null;
  }
}
