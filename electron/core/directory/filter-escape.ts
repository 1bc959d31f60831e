/** RFC 4515 escaping of a value placed in an LDAP filter: `*)(objectClass=*` must match nothing. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
