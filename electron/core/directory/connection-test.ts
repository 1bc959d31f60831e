/**
 * Test connection: resolve → connect → TLS → bind → directory → container → accounts, each timed,
 * stopping at the first failure, each failure saying what failed, why and what to change.
 */
import { performance } from 'node:perf_hooks';
import type { TestReport, TestStep, TestStepName } from '../../../shared/contract.ts';
import type { Security, Settings } from '../../../shared/settings.ts';
import { accountFilter, accountNoun, logonName } from './account-filter.ts';
import type { BindGuard } from './bind-guard.ts';
import { endpoint } from './connection.ts';
import type { SecurityLayer } from './kerberos/security-layer.ts';
import { Failure } from '../failure.ts';
import { explainLdapError } from './ldap-errors.ts';
import { pagedSearch } from './paged-search.ts';
import {
  delegationHint,
  listPsos,
  type LockoutPolicy,
  NO_POLICY_WINDOW_MS,
  readDomainPolicy,
  STRICTEST_THRESHOLD,
} from './password-policy.ts';
import { type BoundSession, openBoundSession, type StepResult } from './pipeline.ts';
import type { NameResolver } from './resolver.ts';
import { readRootDse } from './rootdse.ts';
import type { CertificateSummary } from './tls-check.ts';

/** AD refuses Kerberos beyond 5 minutes of skew; worth a warning even for simple binds. */
const MAX_SKEW_SECONDS = 300;
const SAMPLE_SIZE = 5;

class Stop extends Error {}

function toFailure(err: unknown): Failure {
  return err instanceof Failure
    ? err
    : new Failure('failed', (err as Error).message ?? String(err), 'Check the settings and try again.');
}

/**
 * `guard`: a password a DC refused before is not sent again unless `retryRefused` (the console's button, an
 * administrator's request): then it is tried once more, and the refusal is recorded again or cleared.
 */
export async function testConnection(
  settings: Settings,
  password: string | null,
  resolver: NameResolver,
  guard: BindGuard,
  { retryRefused = false }: { retryRefused?: boolean } = {},
): Promise<TestReport> {
  const steps: TestStep[] = [];
  const timeouts = { connectMs: settings.connectTimeout * 1000, operationMs: settings.timeout * 1000 };
  let session: BoundSession | null = null;

  async function step<T>(name: TestStepName, fn: () => Promise<StepResult<T>>): Promise<T> {
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
        code: failure.code,
      });
      throw new Stop();
    }
  }

  try {
    // The same pipeline as every session, with this hook timing and reporting each step.
    // A refused password stops the test before anything is sent: said as the bind step's failure.
    if (!retryRefused && settings.account === 'specified' && password) {
      const refused = await guard.check(settings.login, password).then(
        () => null,
        (err: unknown) => err,
      );
      if (refused) await step('bind', () => Promise.reject(refused));
    }
    session = await openBoundSession(settings, password, resolver, { step, identify: true, guard, explicit: true });
    const { plan, host, certificate, bound, client: activeClient } = session;
    const connected = { address: session.address, failedOver: session.passedOver.length > 0 };

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
              hint:
                'The clocks differ by more than 5 minutes: Kerberos logons will fail. Synchronise this ' +
                "computer's clock with the domain.",
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
          detail:
            `${baseDn} exists ` + `(${kind})${plan.baseDn ? '' : ' — no OU path is set, so the whole domain is used'}.`,
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
        detail:
          `${count} ${noun} in ${baseDn} and below (paged, ${settings.pageSize} per page), e.g. ` +
          `${sample.sort((a, b) => a.localeCompare(b)).join(', ')}.`,
      };
    });

    await step('policy', async () => {
      try {
        return await passwordPolicies(activeClient, rootDse.defaultNamingContext, bound.identity, settings.timeout);
      } catch (err) {
        // Not a reason to fail the test: the logon service reads them again (and says so if it cannot).
        const failure = explainLdapError(err, 'read of the password policies', timeouts.operationMs);
        return { value: undefined, detail: `The password policies could not be read: ${failure.message}` };
      }
    });

    return {
      ok: true,
      steps,
      summary:
        `Test connection succeeded. Logged on to ${rootDse.dnsHostName || host} ` +
        `(${endpoint(connected.address, plan.port)}) as ${bound.identity} over ` +
        `${protectionWords(plan.security, certificate, bound.layer)}` +
        `${connected.failedOver ? ' (after the servers before it failed: see the connect step)' : ''}. ` +
        `${baseDn} holds ${counted} ${accountNoun(settings.importComputers, counted)}.`,
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
    await session?.close();
  }
}

const duration = (ms: number) =>
  ms % 3_600_000 === 0
    ? `${ms / 3_600_000} h`
    : ms % 60_000 === 0
      ? `${ms / 60_000} min`
      : `${Math.round(ms / 1000)} s`;

const locks = (p: LockoutPolicy) =>
  p.threshold > 0
    ? `locks an account after ${p.threshold} failed logons within ${duration(p.windowMs || NO_POLICY_WINDOW_MS)}`
    : 'never locks accounts';

/**
 * The "Password policy" step: the domain's lockout policy and the fine-grained ones the service account sees —
 * which of them it can read, and how to let it read the others (the logon service takes those at their
 * strictest).
 */
async function passwordPolicies(
  client: BoundSession['client'],
  domainDn: string,
  identity: string,
  timeLimit: number,
): Promise<StepResult<undefined>> {
  const domain = await readDomainPolicy(client, domainDn, timeLimit);
  const psos = await listPsos(client, domainDn, timeLimit);
  const readable = psos.filter((p) => p.policy);
  const unreadable = psos.filter((p) => !p.policy);
  const parts = [`The domain ${locks(domain)}.`];
  if (readable.length)
    parts.push(`Fine-grained policies: ${readable.map((p) => `${p.name} ${locks(p.policy!)}`).join('; ')}.`);
  if (psos.length === 0) parts.push('No fine-grained password policy is visible to the service account.');
  if (unreadable.length)
    parts.push(
      `The service account cannot read ${unreadable.map((p) => `${p.name} (${p.dn})`).join(', ')}: IM logons of ` +
        `the accounts under ${unreadable.length === 1 ? 'it' : 'them'} are checked as if it locked after ` +
        `${STRICTEST_THRESHOLD} failed logons within ${duration(NO_POLICY_WINDOW_MS)} or more (one failed check at ` +
        `a time).`,
    );
  return {
    value: undefined,
    detail: parts.join(' '),
    ...(unreadable.length ? { hint: delegationHint(domainDn, identity) } : {}),
  };
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
