/** The password cipher of the desktop app: Electron safeStorage (DPAPI, Keychain, libsecret/kwallet). */
import { safeStorage } from 'electron';
import type { SecretCipher } from './core/secrets/password-vault.ts';

const STORE_NAMES: Partial<Record<NodeJS.Platform, string>> = { win32: 'DPAPI', darwin: 'Keychain' };

/** On Linux without a keyring safeStorage falls back to a hard-coded key ("basic_text"): that is no protection. */
export function safeStorageIsReal(): { ok: boolean; why: string } {
  if (!safeStorage.isEncryptionAvailable())
    return { ok: false, why: 'This system offers no secure storage for passwords.' };
  if (process.platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown')
      return { ok: false, why: `This Linux session has no keyring (safeStorage backend "${backend}").` };
  }
  return { ok: true, why: '' };
}

export const safeStorageCipher: SecretCipher = {
  info: () => ({
    persistent: true,
    description:
      `Passwords are encrypted with the operating system's secure storage ` +
      `(${STORE_NAMES[process.platform] ?? safeStorage.getSelectedStorageBackend()}).`,
  }),
  encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
  decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
};
