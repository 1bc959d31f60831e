/**
 * The logon names the communication server hands to on-the-fly import: `name`, `DOMAIN\name` or
 * `name@upn-suffix`. Anything that is not a plausible logon is refused here, before it can reach a
 * filter (the values that do are escaped as well).
 */
import { logonKey } from '../database/accounts.ts';

/** `domain`: the DOMAIN of DOMAIN\\name, checked against the directory's own names before anything is imported. */
export type LogonInput =
  { ok: true; sam: string; upn: string | null; domain: string | null; key: string } | { ok: false; reason: string };

/** AD allows 20 characters in sAMAccountName and 1 024 in a UPN; a logon longer than a UPN is no logon. */
const MAX_LENGTH = 1024;
// Characters AD does not allow in sAMAccountName (" / \ [ ] : ; | = , + * ? < >) plus controls.
const FORBIDDEN = /["/\\[\]:;|=,+*?<>]/;

export function parseLogonInput(text: string): LogonInput {
  const raw = text.normalize('NFC');
  if (raw.trim() === '') return { ok: false, reason: 'The logon name is empty.' };
  if (raw.length > MAX_LENGTH)
    return {
      ok: false,
      reason: `The logon name is ${raw.length} characters long; a logon name has at most ${MAX_LENGTH}.`,
    };
  if (/[\u0000-\u001f\u007f]/.test(raw))
    return { ok: false, reason: 'The logon name contains a control character (such as NUL or a line break).' };
  const name = raw.trim();
  let sam: string;
  let upn: string | null = null;
  let domain: string | null = null;
  const slash = name.indexOf('\\');
  if (slash >= 0) {
    if (slash === 0 || name.indexOf('\\', slash + 1) >= 0)
      return { ok: false, reason: `"${name}" is not a logon name: write name, DOMAIN\\name or name@domain.` };
    domain = name.slice(0, slash);
    sam = name.slice(slash + 1);
  } else if (name.includes('@')) {
    const at = name.lastIndexOf('@');
    if (at === 0 || at === name.length - 1)
      return { ok: false, reason: `"${name}" is not a logon name: write name, DOMAIN\\name or name@domain.` };
    upn = name;
    sam = name.slice(0, at);
  } else sam = name;
  if (sam === '' || FORBIDDEN.test(sam) || (upn !== null && FORBIDDEN.test(upn.slice(upn.lastIndexOf('@') + 1)))) {
    return {
      ok: false,
      reason:
        `"${name}" contains characters that Active Directory does not allow in a logon name (" / \\ [ ] ` +
        `: ; | = , + * ? < >).`,
    };
  }
  if (/^[.\s]+$/.test(sam)) return { ok: false, reason: `"${name}" is not a logon name.` };
  return { ok: true, sam, upn, domain, key: logonKey(sam) };
}
