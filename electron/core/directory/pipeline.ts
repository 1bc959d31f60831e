/**
 * The one way to a bound directory session: resolve → connect → TLS → bind. Test connection passes a
 * hook that times and reports each step; sessions (Browse, imports, on-the-fly lookups) pass none. The
 * server list and failover live here: every host is resolved, and the first that accepts the TCP
 * connection within its connect timeout is used; the ones passed over are kept with their reasons.
 */
import type net from 'node:net';
import type { Client } from 'ldapts';
import type { Settings } from '../../../shared/settings.ts';
import { Failure } from '../failure.ts';
import { type Bound, bindOnce } from './bind.ts';
import type { BindGuard } from './bind-guard.ts';
import { clientOver, closeClient, connectTcp, endpoint, handshakeLdaps, startTls } from './connection.ts';
import type { NameResolver } from './resolver.ts';
import { whoAmI } from './rootdse.ts';
import { type ConnectionPlan, planConnection, preferHost } from './target.ts';
import { type CertificateSummary, trustedCas } from './tls-check.ts';

export type PipelineStep = 'resolve' | 'connect' | 'tls' | 'bind';

/** What a step did, for whoever reports it. */
export interface StepResult<T> {
  value: T;
  detail: string;
  hint?: string;
}

/** Runs one step: a reporting hook times it and writes it down; the default just runs it. */
export type StepHook = <T>(name: PipelineStep, work: () => Promise<StepResult<T>>) => Promise<T>;

const silently: StepHook = async (_name, work) => (await work()).value;

export interface PipelineOptions {
  /** A domain controller to try first among several (incremental sync's last DC). */
  preferredDc?: string | null;
  step?: StepHook;
  /** Ask the server who we are after the bind (Test connection's bind step says it). */
  identify?: boolean;
  /** A user's password is checked: refuse before connecting unless TLS protects it. */
  requireTls?: boolean;
  /**
   * For the service account's binds: a password a DC refused is not sent again (checked before anything
   * else), and this bind's refusal or success is recorded for every process.
   */
  guard?: BindGuard;
  /** An administrator asked for this very bind (Test connection): it is made even with a refused password. */
  explicit?: boolean;
}

export interface BoundSession {
  client: Client;
  socket: net.Socket;
  plan: ConnectionPlan;
  host: string;
  address: string;
  certificate: CertificateSummary | null;
  bound: Bound;
  /** The domain controllers tried before this one, each with why it failed. */
  passedOver: string[];
  close(): Promise<void>;
}

function describeTls(mode: string, cert: CertificateSummary): string {
  return (
    `${mode} with ${cert.protocol}; certificate ${cert.subject} issued by ${cert.issuer}, valid until ` +
    `${cert.validTo}${cert.names.length ? `, names ${cert.names.join(', ')}` : ''}; verified.`
  );
}

export async function openBoundSession(
  settings: Settings,
  password: string | null,
  resolver: NameResolver,
  options: PipelineOptions = {},
): Promise<BoundSession> {
  const step = options.step ?? silently;
  const guard = settings.account === 'specified' && password ? (options.guard ?? null) : null;
  if (guard && !options.explicit) await guard.check(settings.login, password!);
  const timeouts = { connectMs: settings.connectTimeout * 1000, operationMs: settings.timeout * 1000 };
  const passedOver: string[] = [];

  const { plan, hosts } = await step('resolve', async () => {
    const planned = await planConnection(settings, resolver);
    const plan = { ...planned, hosts: preferHost(planned.hosts, options.preferredDc ?? null) };
    const hosts: { host: string; addresses: string[] }[] = [];
    const problems: string[] = [];
    for (const host of plan.hosts) {
      try {
        hosts.push({ host, addresses: await resolver.lookup(host) });
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        problems.push(`${host}: ${why}`);
        passedOver.push(`${host}: its name cannot be resolved (${why}).`);
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

  if (options.requireTls && plan.security === 'none')
    throw new Failure(
      'password-needs-tls',
      "A user's password is checked only over an encrypted connection, and Security is set to None.",
      'Choose LDAPS (or StartTLS) in Advanced settings.',
    );

  // Failover: each DC gets its own connect timeout; the first that accepts the connection is used.
  const { host, socket, address } = await step('connect', async () => {
    const failures: string[] = [];
    for (const { host, addresses } of hosts) {
      try {
        const tcp = await connectTcp(addresses, plan.port, timeouts.connectMs);
        const tried = [...failures, ...tcp.failures];
        passedOver.push(...failures.map((f, i) => `${hosts[i]!.host}: ${f}`));
        return {
          value: { host, ...tcp },
          detail:
            `Connected to ${host} at ` +
            `${endpoint(tcp.address, plan.port)}.${tried.length ? ` Before that: ${tried.join(' ')}` : ''}`,
        };
      } catch (err) {
        if (hosts.length === 1) throw err;
        failures.push((err as Error).message);
      }
    }
    throw new Failure(
      'no-dc-reachable',
      `None of the ${hosts.length} domain controllers accepted the connection: ` +
        `${failures.map((f, i) => `${hosts[i]!.host}: ${f}`).join(' ')}`,
      'Check the port and security mode, and that the domain controllers are reachable from this computer.',
    );
  });

  try {
    let certificate: CertificateSummary | null = null;
    const client = await step('tls', async () => {
      if (plan.security === 'none' && settings.account === 'current') {
        return {
          value: clientOver(socket, host, plan.port, timeouts),
          detail:
            'No TLS: with Current account the Kerberos session seals the traffic after the bind (the bind step ' +
            'names the layer).',
        };
      }
      if (plan.security === 'none') {
        return {
          value: clientOver(socket, host, plan.port, timeouts),
          detail:
            'Not encrypted: security is set to None, so the password and directory data cross the network in ' +
            'clear text.',
          hint: 'Choose LDAPS (or StartTLS) in Advanced settings.',
        };
      }
      const ca = trustedCas(settings.caFile);
      if (plan.security === 'ldaps') {
        const secured = await handshakeLdaps(socket, host, plan.port, ca, timeouts.connectMs);
        certificate = secured.certificate;
        return {
          value: clientOver(secured.socket, host, plan.port, timeouts),
          detail: describeTls('LDAPS', secured.certificate),
        };
      }
      const started = await startTls(socket, host, plan.port, ca, timeouts);
      certificate = started.certificate;
      return { value: started.client, detail: describeTls('StartTLS', started.certificate) };
    });

    const bound = await step('bind', async () => {
      let described: Bound;
      try {
        described = await bindOnce(client, settings, password, timeouts.operationMs, {
          host,
          overTls: plan.security !== 'none',
        });
      } catch (err) {
        await closeClient(client, socket);
        if (guard && err instanceof Failure) await guard.refused(settings.login, password!, host, err);
        // Unencrypted LDAP sent to a TLS port looks like a dropped connection: say what it really is.
        if (plan.security === 'none' && err instanceof Failure && err.code === 'connection-lost') {
          throw new Failure(
            'tls-expected',
            `The server on port ${plan.port} closed the connection when sent unencrypted LDAP: this port ` +
              `expects TLS (LDAPS).`,
            'Choose LDAPS for this port, or use port 389.',
          );
        }
        throw err;
      }
      await guard?.accepted(settings.login);
      const identity = options.identify ? await whoAmI(client) : null;
      return {
        value: { ...described, identity: identity ?? described.identity },
        detail:
          `Logged on as ` +
          `${described.description}${identity ? `; the server knows the account as ${identity}` : ''}.`,
      };
    });
    return {
      client,
      socket,
      plan,
      host,
      address,
      certificate,
      bound,
      passedOver,
      close: () => closeClient(client, socket),
    };
  } catch (err) {
    socket.destroy();
    throw err;
  }
}
