/**
 * The three forms of login ID AD accepts for a simple bind, recognised so that the dialog can say which one it read.
 */
import { parseDn } from './dn.ts';

export type LoginForm =
  | { kind: 'down-level'; domain: string; user: string }
  | { kind: 'upn'; user: string; domain: string }
  | { kind: 'dn'; dn: string };

export type LoginParse = { ok: true; form: LoginForm } | { ok: false; error: string };

/** NetBIOS domain names (MS-SRVS): 1–15 characters, none of \ / : * ? " < > | [ ] ; + = , not led by "." or space. */
const NETBIOS = /^[^\\/:*?"<>|[\];+=,.\s][^\\/:*?"<>|[\];+=,]{0,14}$/;
// sAMAccountName may not contain these characters (AD's own rule).
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/;
const UPN_DOMAIN = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

export function parseLoginId(input: string): LoginParse {
  const text = input.trim();
  if (text === '')
    return { ok: false, error: "Type a login ID: DOMAIN\\user, user@domain.com or the account's full DN." };
  if (text.length > 1024) return { ok: false, error: 'The login ID is too long.' };
  if (/^[A-Za-z][A-Za-z0-9-]*\s*=/.test(text)) {
    const dn = parseDn(text);
    if (!dn.ok) return { ok: false, error: `The login ID looks like a DN but ${lowerFirst(dn.error)}` };
    if (dn.rdns.length === 0) return { ok: false, error: 'The DN is empty.' };
    return { ok: true, form: { kind: 'dn', dn: text } };
  }
  const backslash = text.indexOf('\\');
  if (backslash >= 0) {
    const domain = text.slice(0, backslash);
    const user = text.slice(backslash + 1);
    if (!NETBIOS.test(domain))
      return {
        ok: false,
        error:
          `"${domain}" is not a valid NetBIOS domain name before the backslash: 1–15 characters, none of ` +
          '\\ / : * ? " < > | [ ] ; + = , and not starting with a dot or a space.',
      };
    if (user === '' || SAM_FORBIDDEN.test(user))
      return { ok: false, error: `"${user}" is not a valid user name after the backslash.` };
    return { ok: true, form: { kind: 'down-level', domain, user } };
  }
  const at = text.lastIndexOf('@');
  if (at > 0) {
    const user = text.slice(0, at);
    const domain = text.slice(at + 1);
    if (!UPN_DOMAIN.test(domain)) return { ok: false, error: `"${domain}" is not a valid domain after "@".` };
    if (/[\s"\\]/.test(user)) return { ok: false, error: `"${user}" is not a valid user name before "@".` };
    return { ok: true, form: { kind: 'upn', user, domain } };
  }
  return { ok: false, error: `"${text}" is incomplete: write DOMAIN\\${text}, ${text}@domain.com or the full DN.` };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
