/**
 * Test IM server: what publishing needs of ejabberd, step by step, with what to do at the step that fails —
 * the API answers at imApi, ejabberd serves the IM host, and api_permissions allow every command the publisher
 * calls. ejabberd checks a call's arguments before its permission, so each command is really called, on a
 * group and a user of the test's own that nothing else uses (created, then deleted again): a refused one
 * answers HTTP 403, an absent one 404.
 */
import type { TestReport, TestStep } from '../../../shared/contract.ts';
import { timedStep } from '../timed-step.ts';
import type { Settings } from '../../../shared/settings.ts';
import { Failure } from '../failure.ts';
import { ImApi } from './im-api.ts';
import { imHostOf } from './publisher.ts';
import type { SqlEngine } from '../database/engine/sql-engine.ts';

/** A group and user name no directory uses: the permission probes work on them and leave nothing behind. */
const PROBE = 'adconsole-permission-check';

/** Every command the publisher calls, each with harmless arguments, in an order that cleans up after itself. */
const probes = (host: string): [string, Record<string, unknown>][] => [
  ['srg_list', { host }],
  ['srg_get_info', { group: PROBE, host }],
  ['srg_get_members', { group: PROBE, host }],
  ['get_vcard', { user: PROBE, host, name: 'REV' }],
  ['srg_create', { group: PROBE, host, label: PROBE, description: 'AD Console: Test IM server', display: '' }],
  ['srg_user_add', { user: PROBE, host, group: PROBE, grouphost: host }],
  ['srg_user_del', { user: PROBE, host, group: PROBE, grouphost: host }],
  ['srg_delete', { group: PROBE, host }],
  // A headline from the server to itself: delivered nowhere.
  ['send_stanza', { from: host, to: host, stanza: '<message type="headline"/>' }],
  ['unregister', { user: PROBE, host }],
];
export const PUBLISH_COMMANDS = probes('').map(([command]) => command);

export async function testImServer(settings: Settings, engine: SqlEngine): Promise<TestReport> {
  const steps: TestStep[] = [];
  const report = (summary: string): TestReport => ({ ok: steps.every((s) => s.ok), steps, summary });
  let api: ImApi | null = null;
  const connect = await timedStep('im-connect', async () => {
    api = ImApi.fromSettings(settings);
    if (!api)
      throw new Failure(
        'im-not-configured',
        'No IM server API is set: the directory is not published.',
        "Type the address of ejabberd's API (e.g. http://127.0.0.1:5285/api); bcscmd /IMCONFIG prints the lines " +
          'ejabberd.yml needs.',
      );
    await api.call('srg_list', {}).catch((err: unknown) => {
      // Any answer from ejabberd's API is an answer; only no answer (or no API) fails this step.
      if (err instanceof Failure && (err.code === 'im-unreachable' || err.code === 'im-token-unreadable')) throw err;
    });
    return { detail: `ejabberd's API answers at ${api.url}.` };
  });
  steps.push(connect);
  if (!connect.ok) return report(`Test IM server failed: ${connect.detail} ${connect.hint ?? ''}`.trim());
  const host = await imHostOf(engine, settings);
  const hostStep = await timedStep('im-host', async () => {
    if (!host)
      throw new Failure(
        'invalid-settings',
        'The IM host is not known: IM domains is empty and no imported account names the domain.',
        'Type the IM domain ejabberd serves in IM domains (the first one is the host the directory goes to).',
      );
    await api!.checkHost(host);
    return { detail: `ejabberd serves ${host}: the directory is published there.` };
  });
  steps.push(hostStep);
  if (!hostStep.ok) return report(`Test IM server failed: ${hostStep.detail} ${hostStep.hint ?? ''}`.trim());
  const refused: string[] = [];
  const missing: string[] = [];
  steps.push(
    await timedStep('im-permissions', async () => {
      for (const [command, args] of probes(host!))
        await api!.call(command, args).catch((err: unknown) => {
          if (!(err instanceof Failure)) throw err;
          if (err.code === 'im-forbidden') refused.push(command);
          else if (err.code === 'im-command-missing') missing.push(command);
          else if (err.code === 'im-unreachable') throw err;
          // Anything else (a group or vCard that is not there): the command ran, so it is allowed.
        });
      if (refused.length)
        throw new Failure(
          'im-forbidden',
          `ejabberd refuses ${refused.sort().join(', ')} to AD Console.`,
          `Add ${refused.length === 1 ? 'it' : 'them'} to the "what" list of AD Console's api_permissions in ` +
            'ejabberd.yml (bcscmd /IMCONFIG prints the lines), then ejabberdctl reload_config.',
        );
      if (missing.length)
        throw new Failure(
          'im-command-missing',
          `ejabberd has no ${missing.sort().join(', ')}.`,
          'Enable mod_admin_extra and mod_shared_roster in ejabberd.yml (bcscmd /IMCONFIG prints the lines).',
        );
      return { detail: `ejabberd allows the ${PUBLISH_COMMANDS.length} commands publishing uses.` };
    }),
  );
  steps.push({
    name: 'im-roster',
    ok: true,
    ms: 0,
    detail: "ejabberd's API does not show its module options, so mod_roster's versioning was not checked.",
    hint:
      'Make sure ejabberd.yml has mod_roster: {versioning: false}: with versioning on, every membership change ' +
      'rebuilds whole rosters and publishing a large directory takes hours (bcscmd /IMCONFIG prints the lines).',
  });
  const failed = steps.find((s) => !s.ok);
  return report(
    failed
      ? `Test IM server failed at the "${failed.name}" step. ${failed.detail} ${failed.hint ?? ''}`.trim()
      : `Test IM server succeeded: the directory can be published to ${host} through ${api!.url}.`,
  );
}
