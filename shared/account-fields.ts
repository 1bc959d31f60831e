/**
 * The person fields an account carries, declared once, as data (as Keycloak's LDAP mappers are): the
 * AD attribute it is read from, the users-database column it is kept in, and its label. The mapping
 * from AD, the planner's comparison, the applier's SQL, the account views, the details pane and
 * `bcscmd /USERS /JSON` all come from this list. Adding a field is one entry here and a schema step
 * that adds its column (electron/core/database/schema.ts).
 */
export const PERSON_FIELDS = [
  { key: 'logon', column: 'logon', adAttribute: 'sAMAccountName', label: 'Logon name' },
  { key: 'firstName', column: 'first_name', adAttribute: 'givenName', label: 'First name' },
  /** Parsed from displayName when the setting asks for it (see middle-name.ts), else empty. */
  { key: 'middleName', column: 'middle_name', adAttribute: null, label: 'Middle name' },
  { key: 'lastName', column: 'last_name', adAttribute: 'sn', label: 'Last name' },
  { key: 'displayName', column: 'display_name', adAttribute: 'displayName', label: 'Display name' },
  { key: 'email', column: 'email', adAttribute: 'mail', label: 'E-mail' },
  { key: 'department', column: 'department', adAttribute: 'department', label: 'Department' },
  { key: 'title', column: 'title', adAttribute: 'title', label: 'Title' },
  { key: 'phone', column: 'phone', adAttribute: 'telephoneNumber', label: 'Phone' },
] as const;

/**
 * The account's photo: AD's thumbnailPhoto (binary, up to 100 KB), kept as a JPEG of at most 96×96 (base64) for
 * the IM server's vCards and the console. Not among the person fields: a photo is not read with every search (a
 * sync would read every photo again), but only when its account changed since its photo was read — its
 * uSNChanged is kept beside it (electron/core/import/photos.ts).
 */
export const PHOTO_FIELD = {
  key: 'photo',
  column: 'photo',
  usnColumn: 'photo_usn',
  adAttribute: 'thumbnailPhoto',
  label: 'Photo',
  /** The longest side kept, in pixels (XEP-0153 asks for at most 96). */
  maxSide: 96,
} as const;

export type PersonField = (typeof PERSON_FIELDS)[number];
export type PersonFieldKey = PersonField['key'];
export type PersonColumn = PersonField['column'];

/** The person fields an account has, whether typed locally or read from AD. */
export type PersonFields = { [K in PersonFieldKey]: string };

/** The fields' values of anything that has them, as a plain object (views copy them this way). */
export function personFieldsOf(source: PersonFields): PersonFields {
  return Object.fromEntries(PERSON_FIELDS.map((f) => [f.key, source[f.key]])) as PersonFields;
}
