/**
 * Test connection: resolve → connect → TLS → bind → directory → container → accounts, each timed,
 * stopping at the first failure, each failure saying what failed, why and what to change.
 */
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Client } from 'ldapts';
import type { TestReport, TestStep, TestStepName } from '../../../shared/contract.ts';
import type { Security, Settings } from '../../../shared/settings.ts';
import { accountFilter, accountNoun, logonName } from './account-filter.ts';
import { type Bound, bindOnce } from './bind.ts';
import type { SecurityLayer } from './kerberos/security-layer.ts';
import { clientOver, closeClient, connectTcp, endpoint, handshakeLdaps, startTls } from './connection.ts';
import { Failure } from '../failure.ts';
import { explainLdapError } from './ldap-errors.ts';
import { pagedSearch } from './paged-search.ts';
import type { NameResolver } from './resolver.ts';
import { readRootDse, whoAmI } from './rootdse.ts';
import { planConnection } from './target.ts';
import { trustedCas, type CertificateSummary } from './tls-check.ts';

/** AD refuses Kerberos beyond 5 minutes of skew; worth a warning even for simple binds. */
const MAX_SKEW_SECONDS = 300;
const SAMPLE_SIZE = 5;

class Stop extends Error {}

function toFailure(err: unknown): Failure {
  return err instanceof Failure
    ? err
    : new Failure('failed', (err as Error).message ?? String(err), 'Check the settings and try again.');
}

export async function testConnection(
  settings: Settings,
  password: string | null,
  resolver: NameResolver,
): Promise<TestReport> {
  const steps: TestStep[] = [];
  const timeouts = { connectMs: settings.connectTimeout * 1000, operationMs: settings.timeout * 1000 };
  let client: Client | null = null;
  let socket: net.Socket | null = null;

  async function step<T>(
    name: TestStepName,
    fn: () => Promise<{ value: T; detail: string; hint?: string }>,
  ): Promise<T> {
    const started = performance.now();
    try {
      const { value, detail, hint } = await fn();
      steps.push({ name, ok: true, ms: Math.round(performance.now() - started), detail, ...(hint ? { hint } : {}) });
      return value;
    } catch (err) {
      const failure = toFailure(err);
      steps.push({
        name,
        ok: false,
        ms: Math.round(performance.now() - started),
        detail: failure.message,
        hint: failure.hint,
      });
      throw new Stop();
    }
  }

  try {
    const resolved = await step('resolve', async () => {
      const plan = await planConnection(settings, resolver);
      const hosts: { host: string; addresses: string[] }[] = [];
      const problems: string[] = [];
      for (const host of plan.hosts) {
        try {
          hosts.push({ host, addresses: await resolver.lookup(host) });
        } catch (err) {
          problems.push(`${host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      }
      if (hosts.length === 0) {
        throw new Failure(
          'name-not-found',
          `The server name cannot be resolved (${problems.join('; ')}).`,
          "Check the spelling of the server name, use its full DNS name, or check this computer's DNS settings.",
        );
      }
      const via =
        plan.source === 'dns-srv'
          ? ` (domain controllers of ${plan.domain} from DNS SRV records)`
          : plan.source === 'path'
            ? ' (server from the OU path)'
            : '';
      const listed = hosts
        .map((h) =>
          h.addresses.length === 1 && h.addresses[0] === h.host ? h.host : `${h.host} → ${h.addresses.join(', ')}`,
        )
        .join('; ');
      const unresolved = problems.length ? ` Not resolved: ${problems.join('; ')}.` : '';
      return { value: { plan, hosts }, detail: `${listed}${via}, using ${resolver.describe()}.${unresolved}` };
    });
    const { plan } = resolved;

    const connected = await step('connect', async () => {
      const failures: string[] = [];
      for (const { host, addresses } of resolved.hosts) {
        try {
          const tcp = await connectTcp(addresses, plan.port, timeouts.connectMs);
          const tried = [...failures, ...tcp.failures];
          return {
            value: { host, ...tcp, failedOver: tried.length > 0 },
            detail: `Connected to ${host} at ${endpoint(tcp.address, plan.port)}.${tried.length ? ` Before that: ${tried.join(' ')}` : ''}`,
          };
        } catch (err) {
          if (resolved.hosts.length === 1) throw err;
          failures.push((err as Error).message);
        }
      }
      throw new Failure(
        'no-dc-reachable',
        `No domain controller accepted the connection: ${failures.join(' ')}`,
        'Check the port and security mode, and that the domain controllers are reachable from this computer.',
      );
    });
    const { host } = connected;
    socket = connected.socket;
    const tcp = connected.socket;

    let certificate: CertificateSummary | null = null;
    client = await step('tls', async () => {
      if (plan.security === 'none' && settings.account === 'current') {
        return {
          value: clientOver(tcp, host, plan.port, timeouts),
          detail:
            'No TLS: with Current account the Kerberos session seals the traffic after the bind (the bind step names the layer).',
        };
      }
      if (plan.security === 'none') {
        return {
          value: clientOver(tcp, host, plan.port, timeouts),
          detail:
            'Not encrypted: security is set to None, so the password and directory data cross the network in clear text.',
          hint: 'Choose LDAPS (or StartTLS) in Advanced settings.',
        };
      }
      try {
        const ca = trustedCas(settings.caFile);
        if (plan.security === 'ldaps') {
          const secured = await handshakeLdaps(tcp, host, plan.port, ca, timeouts.connectMs);
          certificate = secured.certificate;
          return {
            value: clientOver(secured.socket, host, plan.port, timeouts),
            detail: describeTls('LDAPS', secured.certificate),
          };
        }
        const started = await startTls(tcp, host, plan.port, ca, timeouts);
        certificate = started.certificate;
        return { value: started.client, detail: describeTls('StartTLS', started.certificate) };
      } catch (err) {
        tcp.destroy();
        throw err;
      }
    });
    const activeClient = client;

    const bound = await step('bind', async () => {
      let described: Bound;
      try {
        described = await bindOnce(activeClient, settings, password, timeouts.operationMs, {
          host,
          overTls: plan.security !== 'none',
        });
      } catch (err) {
        // Unencrypted LDAP sent to a TLS port looks like a dropped connection: say what it really is.
        if (plan.security === 'none' && err instanceof Failure && err.code === 'connection-lost') {
          throw new Failure(
            'tls-expected',
            `The server on port ${plan.port} closed the connection when sent unencrypted LDAP: this port expects TLS (LDAPS).`,
            'Choose LDAPS for this port, or use port 389.',
          );
        }
        throw err;
      }
      const identity = await whoAmI(activeClient);
      return {
        value: { ...described, identity: identity ?? described.identity },
        detail: `Logged on as ${described.description}${identity ? `; the server knows the account as ${identity}` : ''}.`,
      };
    });

    const rootDse = await step('directory', async () => {
      let dse;
      try {
        dse = await readRootDse(activeClient);
      } catch (err) {
        throw explainLdapError(err, 'read of the RootDSE', timeouts.operationMs);
      }
      if (!dse.defaultNamingContext)
        throw new Failure(
          'not-ad',
          'The server did not report a default naming context: it does not look like Active Directory.',
          'Check that the server is a domain controller.',
        );
      const skew = dse.currentTime ? Math.round((Date.now() - dse.currentTime.getTime()) / 1000) : null;
      const time = dse.currentTime
        ? `; server time ${dse.currentTime
            .toISOString()
            .replace('T', ' ')
            .replace(/\.\d+Z$/, ' UTC')} (this computer is ${Math.abs(skew!)} s ${skew! >= 0 ? 'ahead' : 'behind'})`
        : '';
      const tooSkewed = skew !== null && Math.abs(skew) > MAX_SKEW_SECONDS;
      return {
        value: dse,
        detail: `Domain ${dse.defaultNamingContext} served by ${dse.dnsHostName || host}${time}.`,
        ...(tooSkewed
          ? {
              hint: "The clocks differ by more than 5 minutes: Kerberos logons will fail. Synchronise this computer's clock with the domain.",
            }
          : {}),
      };
    });

    const baseDn = plan.baseDn || rootDse.defaultNamingContext;
    await step('container', async () => {
      try {
        const { searchEntries } = await activeClient.search(baseDn, {
          scope: 'base',
          filter: '(objectClass=*)',
          attributes: ['objectClass'],
          timeLimit: settings.timeout,
        });
        const classes = ([] as unknown[]).concat(searchEntries[0]?.objectClass ?? []).map(String);
        const kind = classes.includes('organizationalUnit')
          ? 'organizational unit'
          : classes.includes('domainDNS')
            ? 'domain'
            : classes.includes('container')
              ? 'container'
              : (classes.at(-1) ?? 'entry');
        return {
          value: undefined,
          detail: `${baseDn} exists (${kind})${plan.baseDn ? '' : ' — no OU path is set, so the whole domain is used'}.`,
        };
      } catch (err) {
        const failure = explainLdapError(err, 'look-up of the container', timeouts.operationMs);
        if (failure.code === 'no-such-object')
          throw new Failure(
            failure.code,
            `The container ${baseDn} does not exist in ${rootDse.defaultNamingContext}.`,
            failure.hint,
          );
        throw failure;
      }
    });

    const counted = await step('accounts', async () => {
      let count = 0;
      const sample: string[] = [];
      try {
        for await (const entries of pagedSearch(activeClient, baseDn, {
          scope: 'sub',
          filter: accountFilter(settings.importComputers),
          attributes: ['sAMAccountName'],
          pageSize: settings.pageSize,
          timeLimit: settings.timeout,
        })) {
          count += entries.length;
          for (const entry of entries) {
            if (sample.length < SAMPLE_SIZE && entry.sAMAccountName)
              sample.push(logonName(String(entry.sAMAccountName), settings.importComputers));
          }
        }
      } catch (err) {
        throw explainLdapError(err, 'count of accounts', timeouts.operationMs);
      }
      const noun = accountNoun(settings.importComputers, count);
      if (count === 0) {
        return {
          value: count,
          detail: `No ${noun} in ${baseDn} or below.`,
          hint: 'Check the OU path (Browse… shows the tree) and the "Import computer names" option.',
        };
      }
      return {
        value: count,
        detail: `${count} ${noun} in ${baseDn} and below (paged, ${settings.pageSize} per page), e.g. ${sample.sort((a, b) => a.localeCompare(b)).join(', ')}.`,
      };
    });

    return {
      ok: true,
      steps,
      summary: `Test connection succeeded. Logged on to ${rootDse.dnsHostName || host} (${endpoint(connected.address, plan.port)}) as ${bound.identity} over ${protectionWords(plan.security, certificate, bound.layer)}${connected.failedOver ? ' (after the servers before it failed: see the connect step)' : ''}. ${baseDn} holds ${counted} ${accountNoun(settings.importComputers, counted)}.`,
    };
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    const failed = steps.at(-1)!;
    return {
      ok: false,
      steps,
      summary: `Test connection failed at the "${failed.name}" step. ${failed.detail} ${failed.hint ?? ''}`.trim(),
    };
  } finally {
    if (client && socket) await closeClient(client, socket);
    else socket?.destroy();
  }
}

/** What protects the session's traffic, as the success message says it. */
export function protectionWords(
  security: Security,
  certificate: CertificateSummary | null,
  layer: SecurityLayer | null,
): string {
  if (certificate) return `${security === 'ldaps' ? 'LDAPS' : 'StartTLS'} (${certificate.protocol})`;
  if (layer === 'confidentiality') return 'a connection sealed (encrypted and signed) by Kerberos';
  if (layer === 'integrity') return 'a connection signed, but not encrypted, by Kerberos';
  return 'an unencrypted connection';
}

function describeTls(mode: string, cert: CertificateSummary): string {
  return `${mode} with ${cert.protocol}; certificate ${cert.subject} issued by ${cert.issuer}, valid until ${cert.validTo}${cert.names.length ? `, names ${cert.names.join(', ')}` : ''}; verified.`;
}
