import { type Client, PagedResultsControl, SearchEntry, type SearchRequest } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { pagedSearch } from '../../../../electron/core/directory/paged-search.ts';
import { openSession } from '../../../../electron/core/directory/session.ts';
import { createResolver } from '../../../../electron/core/directory/resolver.ts';
import { BASE_DN, USERS } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';
import { dcSettings, SERVICE_PASSWORD } from '../../../support/settings-for-dc.ts';
import { testGuard } from '../../../support/bind-guard.ts';

const OPTIONS = {
  scope: 'sub' as const,
  filter: '(objectClass=user)',
  attributes: ['sAMAccountName'],
  pageSize: 2,
  timeLimit: 10,
};

/** A scripted server (pure unit test): pages of names, each with the cookie that follows it. */
function scriptedClient(pages: { names: string[]; cookie: string }[]) {
  const sent: { size: number; cookie: string }[] = [];
  let id = 0;
  const client = {
    isConnected: true,
    _nextMessageId: () => ++id,
    async _send(request: SearchRequest) {
      const control = request.controls!.find((c) => c instanceof PagedResultsControl) as PagedResultsControl;
      sent.push({ size: control.value!.size, cookie: control.value!.cookie?.toString() ?? '' });
      const page = pages[sent.length - 1] ?? { names: [], cookie: '' };
      return {
        status: 0,
        searchEntries: page.names.map(
          (n) =>
            new SearchEntry({
              messageId: id,
              name: `CN=${n}`,
              attributes: [{ type: 'sAMAccountName', values: [n] }] as never,
            }),
        ),
        searchReferences: [],
        controls: [new PagedResultsControl({ value: { size: 0, cookie: Buffer.from(page.cookie) } })],
      };
    },
  };
  return { client: client as unknown as Client, sent };
}

describe('pagedSearch', () => {
  it('keeps paging through an empty page that still carries a cookie', async () => {
    const { client, sent } = scriptedClient([
      { names: ['a', 'b'], cookie: 'c1' },
      { names: [], cookie: 'c2' },
      { names: ['c'], cookie: '' },
    ]);
    const names: string[] = [];
    for await (const entries of pagedSearch(client, BASE_DN, OPTIONS))
      names.push(...entries.map((e) => String(e.sAMAccountName)));
    expect(names).toEqual(['a', 'b', 'c']);
    expect(sent.map((s) => s.cookie)).toEqual(['', 'c1', 'c2']);
  });

  it(
    'asks for the next page before handing over this one, and drops the search when the caller stops ' + 'early',
    async () => {
      const { client, sent } = scriptedClient([
        { names: ['a', 'b'], cookie: 'c1' },
        { names: ['c', 'd'], cookie: 'c2' },
      ]);
      for await (const entries of pagedSearch(client, BASE_DN, OPTIONS)) {
        expect(entries).toHaveLength(2);
        break;
      }
      expect(sent).toEqual([
        { size: 2, cookie: '' },
        { size: 2, cookie: 'c1' },
        { size: 0, cookie: 'c2' },
      ]);
    },
  );

  it("does the caller's work while the server prepares the first page, and drops the search if it fails", async () => {
    const { client, sent } = scriptedClient([
      { names: ['a', 'b'], cookie: 'c1' },
      { names: ['c'], cookie: '' },
    ]);
    const askedWhenWorking: number[] = [];
    const names: string[] = [];
    for await (const entries of pagedSearch(client, BASE_DN, {
      ...OPTIONS,
      whileFirstPageIsPrepared: async () => {
        askedWhenWorking.push(sent.length);
      },
    }))
      names.push(...entries.map((e) => String(e.sAMAccountName)));
    expect(askedWhenWorking).toEqual([1]); // once, with the first page asked for and none handed over
    expect(names).toEqual(['a', 'b', 'c']);

    const failing = scriptedClient([
      { names: ['a', 'b'], cookie: 'c1' },
      { names: ['c'], cookie: '' },
    ]);
    const pages = pagedSearch(failing.client, BASE_DN, {
      ...OPTIONS,
      whileFirstPageIsPrepared: () => Promise.reject(new Error('the users database is locked')),
    });
    await expect(pages.next()).rejects.toThrow('the users database is locked');
    expect(failing.sent).toEqual([
      { size: 2, cookie: '' },
      { size: 0, cookie: 'c1' },
    ]);
  });
});

describe.runIf(realPartsAvailable())('pagedSearch on the real DC', () => {
  it('returns every account across pages of two, and the session stays usable after an early stop', async () => {
    const session = await openSession(dcSettings(testDc()!), SERVICE_PASSWORD, createResolver({}), testGuard());
    try {
      const base = `OU=Sales,${BASE_DN}`;
      const pages: number[] = [];
      for await (const entries of pagedSearch(session.client, base, {
        ...OPTIONS,
        filter: '(&(objectCategory=person)(objectClass=user))',
      }))
        pages.push(entries.length);
      const expected = USERS.filter((u) => u.ou.endsWith('OU=Sales')).length;
      expect(pages.reduce((a, b) => a + b, 0)).toBe(expected);
      expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(expected / 2));

      for await (const _ of pagedSearch(session.client, base, OPTIONS)) break;
      const again: number[] = [];
      for await (const entries of pagedSearch(session.client, base, {
        ...OPTIONS,
        filter: '(&(objectCategory=person)(objectClass=user))',
      }))
        again.push(entries.length);
      expect(again.reduce((a, b) => a + b, 0)).toBe(expected);
    } finally {
      await session.close();
    }
  });
});
