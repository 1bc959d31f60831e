/**
 * An account's vCard (XEP-0054), whole, as the IM server keeps it: FN (the display name, else the logon), N,
 * EMAIL, ORG (the company, ORGUNIT the department), TITLE, TEL (work voice) and PHOTO (a JPEG of at most
 * 96×96). NICKNAME stays empty: clients would show it instead of the name. REV is a digest of the rest, so
 * that what the IM server holds can be read back and compared (get_vcard REV) without reading the vCard.
 */
import { createHash } from 'node:crypto';

export interface VcardFields {
  logon: string;
  displayName: string;
  firstName: string;
  middleName: string;
  lastName: string;
  email: string;
  department: string;
  title: string;
  phone: string;
  /** Base64 JPEG, or '' for none. */
  photo: string;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
// XML 1.0 cannot carry most control characters: AD values may hold them (a tab in a title).
const clean = (text: string) => escape(text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' '));
const el = (name: string, text: string) => (text ? `<${name}>${clean(text)}</${name}>` : '');

export function vcardXml(f: VcardFields, companyName: string): { xml: string; rev: string } {
  const parts = [
    el('FN', f.displayName || f.logon),
    f.firstName || f.lastName || f.middleName
      ? `<N>${el('FAMILY', f.lastName)}${el('GIVEN', f.firstName)}${el('MIDDLE', f.middleName)}</N>`
      : '',
    f.email ? `<EMAIL><INTERNET/><PREF/>${el('USERID', f.email)}</EMAIL>` : '',
    companyName || f.department ? `<ORG>${el('ORGNAME', companyName)}${el('ORGUNIT', f.department)}</ORG>` : '',
    el('TITLE', f.title),
    f.phone ? `<TEL><WORK/><VOICE/>${el('NUMBER', f.phone)}</TEL>` : '',
    f.photo ? `<PHOTO><TYPE>image/jpeg</TYPE><BINVAL>${f.photo}</BINVAL></PHOTO>` : '',
  ].join('');
  const rev = `adc-${createHash('sha256').update(parts).digest('hex').slice(0, 20)}`;
  return { xml: `<vCard xmlns="vcard-temp">${parts}<REV>${rev}</REV></vCard>`, rev };
}
