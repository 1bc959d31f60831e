/** A bound directory session for work that does not report steps (browse now, import later). */
import type { Settings } from '../../../shared/settings.ts';
import { bindOnce } from './bind.ts';
import { openDirectory, type DirectoryConnection } from './connection.ts';
import { Failure } from '../failure.ts';
import type { NameResolver } from './resolver.ts';
import { planConnection, preferHost, type ConnectionPlan } from './target.ts';

export interface DirectorySession extends DirectoryConnection {
  plan: ConnectionPlan;
  host: string;
  /** The domain controllers tried before this one, each with why it failed (failover). */
  passedOver: string[];
}

/** "dc1.corp.example.com did not answer (…); used dc2.corp.example.com." — for logs, CLI and wizard. */
export function failoverNote(session: DirectorySession): string | null {
  return session.passedOver.length ? `${session.passedOver.join(' ')} Used ${session.host} instead.` : null;
}

/** `preferredDc`: a domain controller to try first among those DNS lists (incremental sync's last DC). */
export async function openSession(
  settings: Settings,
  password: string | null,
  resolver: NameResolver,
  preferredDc: string | null = null,
): Promise<DirectorySession> {
  const planned = await planConnection(settings, resolver);
  const plan = { ...planned, hosts: preferHost(planned.hosts, preferredDc) };
  const timeouts = { connectMs: settings.connectTimeout * 1000, operationMs: settings.timeout * 1000 };
  let lastError: unknown = null;
  const passedOver: string[] = [];
  for (const host of plan.hosts) {
    let addresses: string[];
    try {
      addresses = await resolver.lookup(host);
    } catch (err) {
      lastError = new Failure(
        'name-not-found',
        `The server name ${host} cannot be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
        "Check the server name and this computer's DNS settings.",
      );
      passedOver.push(`${host}: its name cannot be resolved.`);
      continue;
    }
    let connection: DirectoryConnection;
    try {
      connection = await openDirectory(host, addresses, plan.port, plan.security, settings.caFile, timeouts);
    } catch (err) {
      lastError = err;
      passedOver.push(`${host}: ${(err as Error).message}`);
      continue; // another domain controller may answer, within its own connect timeout
    }
    try {
      await bindOnce(connection.client, settings, password, timeouts.operationMs, {
        host,
        overTls: plan.security !== 'none',
      });
    } catch (err) {
      // A refused bind is the same on every DC of the domain: trying the next would only count another failure.
      await connection.close();
      throw err;
    }
    return { ...connection, plan, host, passedOver };
  }
  if (plan.hosts.length > 1 && lastError instanceof Failure) {
    throw new Failure(
      lastError.code,
      `None of the ${plan.hosts.length} domain controllers could be reached: ${passedOver.join(' ')}`,
      lastError.hint,
    );
  }
  throw lastError ?? new Failure('no-dc', 'No domain controller could be reached.', 'Run Test connection for details.');
}
