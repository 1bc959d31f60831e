/**
 * Reading attributes off a search entry without regard to case, as LDAP names them (go-ldap's
 * GetEqualFoldAttributeValue): servers answer in their own spelling ("msDS-LockoutThreshold" may come back
 * as "msds-lockoutthreshold").
 */
export function attributeValues(entry: Record<string, unknown>, name: string): unknown[] {
  const wanted = name.toLowerCase();
  const key = Object.keys(entry).find((k) => k.toLowerCase() === wanted);
  const v = key === undefined ? undefined : entry[key];
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
}

/** The first value as text ('' when absent). */
export function attributeText(entry: Record<string, unknown>, name: string): string {
  const [first] = attributeValues(entry, name);
  return first === undefined ? '' : Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

/** Whether the entry carries the attribute at all (an attribute the reader may not see is absent). */
export const hasAttribute = (entry: Record<string, unknown>, name: string): boolean =>
  attributeValues(entry, name).length > 0;
