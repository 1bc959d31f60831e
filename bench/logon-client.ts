/**
 * One of bench:logon's client processes: logs its share of users on at once (lean XMPP, bench/lean-xmpp.ts) when
 * the bench says "go" on stdin, and prints each logon's milliseconds and the CPU it used, as JSON.
 *   node bench/logon-client.ts '<json: { servers: LeanServer[], users: string[], password }>'
 */
import { performance } from 'node:perf_hooks';
import { leanLogon, type LeanServer } from './lean-xmpp.ts';

const job = JSON.parse(process.argv[2]!) as { servers: LeanServer[]; users: string[]; password: string };
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const cpu = process.cpuUsage();
const results = await Promise.all(
  job.users.map(async (user, i) => {
    const t0 = performance.now();
    const outcome = await leanLogon(job.servers[i % job.servers.length]!, user, job.password);
    return { ms: performance.now() - t0, ok: outcome.ok, error: outcome.ok ? null : outcome.error };
  }),
);
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ results, cpuMs: (used.user + used.system) / 1000 })}\n`);
process.exit(0);
