/**
 * The optional `kerberos` package (Node-API: one build serves Node and Electron). Loaded on first use;
 * when it is not installed or does not load, "Current account" says why instead of failing obscurely.
 */
import { createRequire } from 'node:module';

export interface KerberosClient {
  username: string;
  contextComplete: boolean;
  step(challenge: string): Promise<string>;
  wrap(data: string, options?: { user?: string; protect?: boolean }): Promise<string>;
  unwrap(data: string): Promise<string>;
}

export interface KerberosModule {
  initializeClient(service: string, options?: Record<string, unknown>): Promise<KerberosClient>;
  GSS_C_MUTUAL_FLAG: number;
  GSS_C_SEQUENCE_FLAG: number;
  GSS_C_INTEG_FLAG: number;
  GSS_C_CONF_FLAG: number;
  GSS_MECH_OID_KRB5: number;
}

let loaded: { module: KerberosModule } | { missing: string } | null = null;

export function loadKerberos(): { module: KerberosModule } | { missing: string } {
  if (loaded) return loaded;
  try {
    loaded = { module: createRequire(import.meta.url)('kerberos') as KerberosModule };
  } catch (err) {
    loaded = {
      missing:
        `the optional "kerberos" package is not installed or does not load here ` +
        `(${(err as Error).message.split('\n')[0]})`,
    };
  }
  return loaded;
}
