import { describe, expect, it } from 'vitest';
import { vcardXml, type VcardFields } from '../../../../electron/core/publish/vcard.ts';

const fields: VcardFields = {
  logon: 'jsmith',
  displayName: 'John Smith',
  firstName: 'John',
  middleName: '',
  lastName: 'Smith',
  email: 'jsmith@corp.example.com',
  department: 'R&D <Lab>',
  title: 'Engineer\u0007II', // a control character XML cannot carry
  phone: '+1 555 0100',
  photo: '',
};

describe("an account's vCard", () => {
  it('carries the fields in vcard-temp elements, escaped, with the company and no nickname', () => {
    const { xml, rev } = vcardXml(fields, 'Example "Corp"');
    expect(xml).toBe(
      '<vCard xmlns="vcard-temp"><FN>John Smith</FN><N><FAMILY>Smith</FAMILY><GIVEN>John</GIVEN></N>' +
        '<EMAIL><INTERNET/><PREF/><USERID>jsmith@corp.example.com</USERID></EMAIL>' +
        '<ORG><ORGNAME>Example &quot;Corp&quot;</ORGNAME><ORGUNIT>R&amp;D &lt;Lab&gt;</ORGUNIT></ORG>' +
        '<TITLE>Engineer II</TITLE><TEL><WORK/><VOICE/><NUMBER>+1 555 0100</NUMBER></TEL>' +
        `<REV>${rev}</REV></vCard>`,
    );
    expect(xml).not.toMatch(/NICKNAME/);
  });

  it('names the account by its logon when it has no display name, and carries a photo as a JPEG', () => {
    const { xml } = vcardXml({ ...fields, displayName: '', photo: 'AAAA' }, '');
    expect(xml).toMatch(/^<vCard xmlns="vcard-temp"><FN>jsmith<\/FN>/);
    expect(xml).toMatch(/<PHOTO><TYPE>image\/jpeg<\/TYPE><BINVAL>AAAA<\/BINVAL><\/PHOTO>/);
  });

  it('changes its REV exactly when what it says changes, so that a reconcile compares REVs alone', () => {
    const a = vcardXml(fields, 'Corp').rev;
    expect(vcardXml({ ...fields }, 'Corp').rev).toBe(a);
    expect(vcardXml({ ...fields, title: 'Lead' }, 'Corp').rev).not.toBe(a);
    expect(vcardXml(fields, 'Other Corp').rev).not.toBe(a);
    expect(vcardXml({ ...fields, photo: 'AAAA' }, 'Corp').rev).not.toBe(a);
  });
});
