/**
 * What incremental sync must remember about the domain controller it read: uSNChanged values are
 * per DC, and a DC restored from backup gets a new invocationID (its USNs may then repeat).
 */
import type { Client } from 'ldapts';
import { guidToString } from './object-guid.ts';

export interface DcMarks {
  dnsHostName: string;
  invocationId: string;
  highestCommittedUsn: number;
  defaultNamingContext: string;
}

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

export async function readDcMarks(client: Client): Promise<DcMarks> {
  const root: Record<string, unknown> =
    (
      await client.search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['dnsHostName', 'dsServiceName', 'highestCommittedUSN', 'defaultNamingContext'],
      })
    ).searchEntries[0] ?? {};
  const service = String(first(root.dsServiceName) ?? '');
  let invocationId = '';
  if (service) {
    const ntds = (
      await client.search(service, {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['invocationId'],
        explicitBufferAttributes: ['invocationId'],
      })
    ).searchEntries[0];
    const raw = first(ntds?.invocationId);
    if (Buffer.isBuffer(raw) && raw.length === 16) invocationId = guidToString(raw);
  }
  return {
    dnsHostName: String(first(root.dnsHostName) ?? ''),
    invocationId,
    highestCommittedUsn: Number(first(root.highestCommittedUSN) ?? 0),
    defaultNamingContext: String(first(root.defaultNamingContext) ?? ''),
  };
}
