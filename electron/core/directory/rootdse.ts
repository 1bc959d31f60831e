/** Reading the RootDSE and the few facts the console needs from it. */
import type { Client } from 'ldapts';

export interface RootDse {
  defaultNamingContext: string;
  configurationNamingContext: string;
  dnsHostName: string;
  currentTime: Date | null;
}

const first = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : v === undefined ? '' : String(v));

/** GeneralizedTime "20261127065100.0Z" → Date. */
export function parseGeneralizedTime(text: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,]\d+)?Z$/.exec(text.trim());
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

export async function readRootDse(client: Client): Promise<RootDse> {
  const { searchEntries } = await client.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['defaultNamingContext', 'configurationNamingContext', 'dnsHostName', 'currentTime'],
  });
  const e: Record<string, unknown> = searchEntries[0] ?? {};
  return {
    defaultNamingContext: first(e.defaultNamingContext),
    configurationNamingContext: first(e.configurationNamingContext),
    dnsHostName: first(e.dnsHostName),
    currentTime: parseGeneralizedTime(first(e.currentTime)),
  };
}

/** Who the server says we are ("u:CORP\\svc"), via the Who am I? extended operation; null when unsupported. */
export async function whoAmI(client: Client): Promise<string | null> {
  try {
    const { value } = await client.exop('1.3.6.1.4.1.4203.1.11.3');
    return value ? value.replace(/^u:/, '').replace(/^dn:/, '') : null;
  } catch {
    return null;
  }
}
