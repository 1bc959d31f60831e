/**
 * The publisher's record on both engines: what went out is kept in the users database, the next publish sends
 * only the difference, one publish at a time, and a reconcile repairs from what the IM server holds. The IM
 * server here is an in-memory stand-in (a unit test of the record); the real proof on ejabberd is
 * ejabberd-directory.test.ts.
 */
import { expect, it } from 'vitest';
import type { SqlQueryable } from '../../../../electron/core/database/engine/sql-engine.ts';
import type { ImApi } from '../../../../electron/core/publish/im-api.ts';
import { publishDirectory } from '../../../../electron/core/publish/publisher.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../../shared/settings.ts';
import { insertAccount, insertOu } from '../../../support/account-rows.ts';
import { describeOnEngines } from '../../../support/sql-engines.ts';

const HOST = 'corp.example.test';
const SETTINGS: Settings = { ...DEFAULT_SETTINGS, imDomains: HOST, imApi: 'http://127.0.0.1:5285/api' };

/** What an IM server holds of shared roster groups and vCard REVs, answering the calls the publisher makes. */
class InMemoryIm {
  groups = new Map<string, { label: string; display: string }>();
  members = new Map<string, Set<string>>();
  revs = new Map<string, string>();
  calls: string[] = [];
  async checkHost(): Promise<void> {}
  async call<T>(command: string, a: Record<string, string>): Promise<T> {
    this.calls.push(command);
    const answer = (value: unknown) => value as T;
    switch (command) {
      case 'srg_create':
        this.groups.set(a.group!, { label: a.label!, display: a.display! });
        if (!this.members.has(a.group!)) this.members.set(a.group!, new Set());
        return answer(0);
      case 'srg_delete':
        this.groups.delete(a.group!);
        this.members.delete(a.group!);
        return answer(0);
      case 'srg_user_add':
        this.members.get(a.group!)!.add(a.user!);
        return answer(0);
      case 'srg_user_del':
        this.members.get(a.group!)!.delete(a.user!);
        return answer(0);
      case 'send_stanza':
        this.revs.set(a.from!.split('@')[0]!, /<REV>([^<]*)<\/REV>/.exec(a.stanza!)![1]!);
        return answer(0);
      case 'get_vcard':
        return answer({ content: this.revs.get(a.user!) ?? '' });
      case 'srg_list':
        return answer([...this.groups.keys()]);
      case 'srg_get_info': {
        const g = this.groups.get(a.group!)!;
        return answer([
          { key: 'label', value: g.label },
          { key: 'displayed_groups', value: g.display },
        ]);
      }
      case 'srg_get_members':
        return answer([...this.members.get(a.group!)!].map((u) => `${u}@${HOST}`));
      case 'unregister':
        this.revs.delete(a.user!);
        return answer(0);
    }
    throw new Error(`unexpected call ${command}`);
  }
}

const bump = (q: SqlQueryable) =>
  q.run("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'revision'");

describeOnEngines("the publisher's record on $name", ({ usersDatabase }) => {
  it('records what went out, then sends only the difference, and repairs drift at a reconcile', async () => {
    const { engine } = await usersDatabase();
    const staff = await insertOu(engine, null, 'Staff');
    for (const logon of ['zoë', 'ann', 'bob'])
      await insertAccount(engine, { logon, displayName: `${logon} display`, ouId: staff });
    await bump(engine);
    const im = new InMemoryIm();
    const api = im as unknown as ImApi;

    const first = await publishDirectory({ engine, settings: SETTINGS, api });
    expect(first).toMatchObject({ groupsCreated: 2, membersAdded: 3, vcardsSet: 3, problems: [] });
    expect(await engine.all('SELECT grp, usr FROM published_members ORDER BY usr')).toEqual(
      ['ann', 'bob', 'zoë'].map((usr) => ({ grp: `adc-${staff}`, usr })),
    );
    expect(await engine.get('SELECT host, reconcile_needed, last_error FROM publish_state')).toEqual({
      host: HOST,
      reconcile_needed: 0,
      last_error: null,
    });

    // One account disabled: one member removed, nothing else sent.
    await engine.run("UPDATE accounts SET enabled = 0 WHERE logon = 'bob'");
    await bump(engine);
    im.calls = [];
    const second = await publishDirectory({ engine, settings: SETTINGS, api });
    expect(second).toMatchObject({ groupsCreated: 0, membersAdded: 0, membersRemoved: 1, vcardsSet: 0 });
    expect(im.calls).toEqual(['srg_user_del']);

    // Drift on the IM server (a member removed by hand): the record does not know; a reconcile repairs it.
    im.members.get(`adc-${staff}`)!.delete('ann');
    expect(await publishDirectory({ engine, settings: SETTINGS, api })).toMatchObject({ membersAdded: 0 });
    const full = await publishDirectory({ engine, settings: SETTINGS, api, full: true });
    expect(full).toMatchObject({ full: true, membersAdded: 1, groupsCreated: 0 });
    expect([...im.members.get(`adc-${staff}`)!].sort()).toEqual(['ann', 'zoë']);
    expect(await engine.get('SELECT count(*) AS n FROM published_members')).toEqual({ n: 2 });
  });

  it('publishes one at a time: another holder of the lease means no publish now, and no call made', async () => {
    const { engine } = await usersDatabase();
    await engine.run("UPDATE publish_state SET lock_token = 'another', lock_until = ?", Date.now() + 60_000);
    const im = new InMemoryIm();
    expect(await publishDirectory({ engine, settings: SETTINGS, api: im as unknown as ImApi })).toBeNull();
    expect(im.calls).toEqual([]);
    // A lease that ran out (its holder died) is taken over.
    await engine.run('UPDATE publish_state SET lock_until = ?', Date.now() - 1);
    expect(await publishDirectory({ engine, settings: SETTINGS, api: im as unknown as ImApi })).toMatchObject({
      groupsCreated: 1,
    });
    expect(await engine.get('SELECT lock_token FROM publish_state')).toEqual({ lock_token: null });
  });
});
