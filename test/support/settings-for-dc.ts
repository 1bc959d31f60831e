/** Settings that reach the test DC as the service account, varied per test. */
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings.ts';
import { BASE_DN, NETBIOS, SERVICE_ACCOUNT } from './directory-fixture.ts';
import type { TestDc } from './samba-dc.ts';

export function dcSettings(dc: TestDc, overrides: Partial<Settings> = {}): Settings {
  return {
    ...DEFAULT_SETTINGS,
    server: dc.address,
    caFile: dc.caFile,
    login: `${NETBIOS}\\${SERVICE_ACCOUNT.sam}`,
    ouPath: `LDAP://${BASE_DN}`,
    connectTimeout: 5,
    timeout: 10,
    ...overrides,
  };
}
export const SERVICE_PASSWORD = SERVICE_ACCOUNT.password;
