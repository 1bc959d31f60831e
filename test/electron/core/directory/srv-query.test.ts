import { describe, expect, it } from 'vitest';
import { decodeSrvResponse, encodeQuery, querySrv } from '../../../../electron/core/directory/srv-query.ts';
import { DC_FQDN, DOMAIN } from '../../../support/directory-fixture.ts';
import { realPartsAvailable, testDc } from '../../../support/real-parts.ts';

/** Builds an answer to `query` with one SRV record whose target is written in full or as a pointer. */
function answer(query: Buffer, compressed: boolean): Buffer {
  const header = Buffer.from(query.subarray(0, 12));
  header.writeUInt16BE(0x8180, 2); // response, recursion available, no error
  header.writeUInt16BE(1, 6);
  const question = query.subarray(12);
  const nameAt = Buffer.from([0xc0, 12]);
  // Target "dc1.<domain>": either literal labels or "dc1" + pointer to the domain inside the question.
  const domainOffset = 12 + 1 + '_ldap'.length + 1 + '_tcp'.length + 1 + 'dc'.length + 1 + '_msdcs'.length;
  const target = compressed
    ? Buffer.concat([Buffer.from([3]), Buffer.from('dc1'), Buffer.from([0xc0, domainOffset])])
    : Buffer.concat([
        ...`dc1.${DOMAIN}`.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]),
        Buffer.from([0]),
      ]);
  const rdata = Buffer.concat([Buffer.from([0, 0, 0, 100, 1, 0x85]), target]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(33, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(600, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([header, question, nameAt, fixed, rdata]);
}

describe('SRV answers', () => {
  const query = encodeQuery(0x1234, `_ldap._tcp.dc._msdcs.${DOMAIN}`);

  it.each([false, true])('reads the target whether written in full or compressed (%s)', (compressed) => {
    const decoded = decodeSrvResponse(answer(query, compressed), 0x1234);
    expect(decoded.records).toEqual([{ priority: 0, weight: 100, port: 389, name: DC_FQDN }]);
  });

  it('refuses an answer to another query', () => {
    expect(() => decodeSrvResponse(answer(query, false), 0x9999)).toThrow(/does not match/);
  });

  it('refuses a compression loop instead of spinning', () => {
    const looped = answer(query, true);
    looped.writeUInt8(0xc0, looped.length - 2);
    looped.writeUInt8(looped.length - 2, looped.length - 1);
    expect(() => decodeSrvResponse(looped, 0x1234)).toThrow(/loop/);
  });
});

describe.runIf(realPartsAvailable())("SRV look-up against the DC's DNS", () => {
  it('lists the domain controller', async () => {
    const records = await querySrv(`_ldap._tcp.dc._msdcs.${DOMAIN}`, [testDc()!.address]);
    expect(records.map((r) => r.name)).toContain(DC_FQDN);
  });

  it('says ENOTFOUND for a domain that does not exist', async () => {
    await expect(querySrv('_ldap._tcp.dc._msdcs.nowhere.corp.example.test', [testDc()!.address])).rejects.toMatchObject(
      { code: expect.stringMatching(/ENOTFOUND|ENODATA/) },
    );
  });
});
