/**
 * Account photos: AD's thumbnailPhoto, read only for accounts that changed since their photo was read (their
 * uSNChanged differs from the one kept beside the photo), so that a full sync of 100 000 accounts does not read
 * 100 000 photos of up to 100 KB again. Read by objectGUID in batches after an import committed (and for one
 * account after an on-the-fly import), scaled down to a JPEG of at most 96×96, and kept in the users database.
 * A failure leaves the photos as they were: the next sync reads them.
 */
import { type Client, EqualityFilter, OrFilter } from 'ldapts';
import type sharpType from 'sharp';
import type { SqlEngine, SqlQueryable } from '../database/engine/sql-engine.ts';
import { PHOTO_FIELD } from '../../../shared/account-fields.ts';
import { bumpRevision } from '../database/users-database.ts';
import { guidBytes, guidToString } from '../directory/object-guid.ts';
import { pagedSearch } from '../directory/paged-search.ts';
import { readRootDse } from '../directory/rootdse.ts';

/** Accounts asked for in one search (an OR of their GUIDs): a few hundred KB of photos per answer at most. */
const BATCH = 50;
/** Accounts whose photos are written in one transaction. */
const WRITE_EVERY = 5000;

export interface PhotoSyncResult {
  /** Accounts whose photo was read. */
  read: number;
  /** Photos that differ from the one kept (new, changed or removed). */
  changed: number;
  /** Photos that could not be decoded (kept as none), by logon. */
  unreadable: string[];
}

type Sharp = typeof sharpType;
let sharpModule: Promise<Sharp> | null = null;
/** Loaded on first use: processes that never read a photo do not load libvips. */
const loadSharp = () => (sharpModule ??= import('sharp').then((m) => m.default));

/** thumbnailPhoto (JPEG, PNG, GIF…) → a JPEG of at most 96×96, base64. Throws on bytes that are no image. */
export async function downscalePhoto(bytes: Buffer): Promise<string> {
  const sharp = await loadSharp();
  const jpeg = await sharp(bytes, { limitInputPixels: 50_000_000 })
    .rotate() // as EXIF says it was taken
    .resize(PHOTO_FIELD.maxSide, PHOTO_FIELD.maxSide, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 82 })
    .toBuffer();
  return jpeg.toString('base64');
}

interface Pending {
  id: number;
  logon: string;
  guid: string;
  usn: number | null;
  photo: string;
}

/**
 * Which accounts of a whole read hold a photo at all: what `searches` read, asked again with the photo's presence
 * added to the filter and for the objectGUID only. Cheap for the DC (0.3 s for 20 000 accounts without photos
 * where the read itself took 3.4 s) against a search per 50 accounts (1 s), and an import asks while it plans and
 * applies, so that it costs no waiting at all.
 */
export async function photoHolders(
  client: Client,
  searches: readonly { base: string; filter: string; scope: 'sub' | 'one' }[],
  timeLimit: number,
): Promise<Set<string>> {
  const holders = new Set<string>();
  for (const search of searches) {
    const pages = pagedSearch(client, search.base, {
      scope: search.scope,
      // The presence first: Samba tests an AND's terms in order, and most accounts fail this one at once, before
      // the costly objectCategory comparison (20 000 accounts without photos: 0.29 s of the DC's time → 0.15 s).
      filter: `(&(${PHOTO_FIELD.adAttribute}=*)${search.filter})`,
      attributes: ['objectGUID'],
      explicitBufferAttributes: ['objectGUID'],
      pageSize: 1000,
      timeLimit,
    });
    for await (const page of pages)
      for (const entry of page) if (Buffer.isBuffer(entry.objectGUID)) holders.add(guidToString(entry.objectGUID));
  }
  return holders;
}

/** What a whole read found out about photos: the accounts it read, and which of them hold a photo. */
export interface PhotoCensus {
  read: ReadonlySet<string>;
  holders: ReadonlySet<string>;
}

/**
 * The census's answer if it comes within `ms` (at once when it has come); null when it does not, or failed, or
 * `signal` aborts first. Never waits longer than `ms`.
 */
export function censusWithin(
  census: Promise<PhotoCensus>,
  ms: number,
  signal?: AbortSignal,
): Promise<PhotoCensus | null> {
  return new Promise((resolve) => {
    const settle = (answer: PhotoCensus | null) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      resolve(answer);
    };
    const aborted = () => settle(null);
    const timer = setTimeout(aborted, ms);
    signal?.addEventListener('abort', aborted, { once: true });
    census.then(settle, aborted);
  });
}

const DUE =
  "origin = 'ad' AND ad_guid IS NOT NULL AND " +
  `(${PHOTO_FIELD.usnColumn} IS NULL OR ad_usn IS NULL OR ${PHOTO_FIELD.usnColumn} <> ad_usn)`;

const anyDue = async (engine: SqlEngine) =>
  (await engine.get(`SELECT 1 AS one FROM accounts WHERE ${DUE} LIMIT 1`)) !== undefined;

/** What `markWithoutPhoto` marked: as having no photo, and of those, how many had one. */
export interface PhotoMarks {
  marked: number;
  removed: number;
}

/**
 * The due accounts the census read (the run wrote them at `readAt`) and found without a photo: marked as having
 * none, in two statements instead of one per account (the "no photo" marks of 100 000 new accounts: 0.4 s of
 * statements), in the caller's transaction (the import's own, when the census answered before its commit). Those
 * that had a photo count as changed, and move the revision that the IM server's vCards follow.
 */
export async function markWithoutPhoto(
  tx: SqlQueryable,
  text: string,
  census: PhotoCensus,
  readAt: string,
): Promise<PhotoMarks> {
  await tx.exec(`CREATE TEMP TABLE photo_holders (guid ${text})`);
  await tx.copyRows(
    'photo_holders',
    ['guid'],
    [...census.holders].map((guid) => [guid]),
  );
  const without = `${DUE} AND synced_at = ? AND ad_guid NOT IN (SELECT guid FROM photo_holders)`;
  const set = `UPDATE accounts SET ${PHOTO_FIELD.column} = '', ${PHOTO_FIELD.usnColumn} = ad_usn WHERE ${without}`;
  const removed = (await tx.run(`${set} AND ${PHOTO_FIELD.column} <> ''`, readAt)).changes;
  const marked = removed + (await tx.run(set, readAt)).changes;
  await tx.exec('DROP TABLE photo_holders');
  if (removed > 0) await bumpRevision(tx);
  return { marked, removed };
}

/**
 * Reads the photos that are due (of the accounts `guids` names, else of every AD account) and stores them.
 * With a census, a due account the census read and found without a photo is stored as having none without
 * asking the DC again. `cancelled` is checked between batches.
 */
export async function syncPhotos(
  /** The directory, asked for only when some photo is due (an import closed its session after reading). */
  connect: () => Promise<Client>,
  engine: SqlEngine,
  options: {
    timeoutMs: number;
    guids?: string[];
    cancelled?: () => boolean;
    /** Awaited only when some photo is due: a sync that changed nothing does not wait for its answer. */
    census?: Promise<PhotoCensus | null> | PhotoCensus | null;
    /**
     * When the run that asked the census wrote its accounts (their `synced_at`): with the census, those of them
     * it found without a photo are marked so in one statement.
     */
    readAt?: string;
  },
): Promise<PhotoSyncResult> {
  const result: PhotoSyncResult = { read: 0, changed: 0, unreadable: [] };
  if (options.readAt && !options.guids && options.census && (await anyDue(engine))) {
    const census = await options.census;
    if (census) {
      const marks = await engine.write((tx) => markWithoutPhoto(tx, engine.dialect.text, census, options.readAt!));
      result.read += marks.marked;
      result.changed += marks.removed;
    }
  }
  // The accounts named, asked for by GUID: an on-the-fly import's one account must not read every due row.
  const named = options.guids ? ` AND ad_guid IN (${options.guids.map(() => '?').join(', ') || 'NULL'})` : '';
  const due = await engine.all<Pending>(
    `SELECT id, logon, ad_guid AS guid, ad_usn AS usn, ${PHOTO_FIELD.column} AS photo FROM accounts ` +
      `WHERE ${DUE}${named}`,
    ...(options.guids ?? []),
  );
  if (due.length === 0) return result;
  // The photos read are written set-based every WRITE_EVERY accounts (a statement per account costs a round trip
  // each on PostgreSQL: 20 000 of them doubled an import's time).
  let waiting: { row: Pending; photo: string }[] = [];
  const flush = async () => {
    if (waiting.length === 0) return;
    const rows = waiting;
    waiting = [];
    const changed = rows.filter((u) => u.photo !== u.row.photo).length;
    result.changed += changed;
    const { text, int } = engine.dialect;
    await engine.write(async (tx) => {
      if (engine.name === 'sqlite') {
        // In-process: a statement per account costs no round trip, and skips the temporary table's copy.
        for (const u of rows)
          await tx.run(
            `UPDATE accounts SET ${PHOTO_FIELD.column} = ?, ${PHOTO_FIELD.usnColumn} = ? WHERE id = ? AND ad_guid = ?`,
            u.photo,
            u.row.usn,
            u.row.id,
            u.row.guid,
          );
      } else {
        await tx.exec(`CREATE TEMP TABLE photo_rows (id ${int}, guid ${text}, photo ${text}, usn ${int})`);
        await tx.copyRows(
          'photo_rows',
          ['id', 'guid', 'photo', 'usn'],
          rows.map((u) => [u.row.id, u.row.guid, u.photo, u.row.usn]),
        );
        await tx.run(
          `UPDATE accounts SET ${PHOTO_FIELD.column} = photo_rows.photo, ${PHOTO_FIELD.usnColumn} = photo_rows.usn ` +
            'FROM photo_rows WHERE accounts.id = photo_rows.id AND accounts.ad_guid = photo_rows.guid',
        );
        await tx.exec('DROP TABLE photo_rows');
      }
      // The IM server's vCards follow the revision: a changed photo is a change to publish.
      if (changed > 0) await bumpRevision(tx);
    });
  };
  const census = await options.census;
  const without = census ? due.filter((r) => census.read.has(r.guid) && !census.holders.has(r.guid)) : [];
  if (without.length > 0) {
    result.read += without.length;
    waiting.push(...without.map((row) => ({ row, photo: '' })));
  }
  const asked = without.length > 0 ? due.filter((r) => !census!.read.has(r.guid) || census!.holders.has(r.guid)) : due;
  if (asked.length === 0) {
    await flush();
    return result;
  }
  const client = await connect();
  const base = (await readRootDse(client)).defaultNamingContext;
  const attribute = PHOTO_FIELD.adAttribute;
  for (let at = 0; at < asked.length; at += BATCH) {
    if (options.cancelled?.()) break;
    const batch = asked.slice(at, at + BATCH);
    const { searchEntries } = await client.search(base, {
      scope: 'sub',
      filter: new OrFilter({
        filters: batch.map((r) => new EqualityFilter({ attribute: 'objectGUID', value: guidBytes(r.guid) })),
      }),
      attributes: ['objectGUID', attribute],
      explicitBufferAttributes: ['objectGUID', attribute],
      timeLimit: Math.ceil(options.timeoutMs / 1000),
    });
    const found = new Map<string, Buffer | null>();
    for (const e of searchEntries) {
      const guid = e.objectGUID;
      if (!Buffer.isBuffer(guid)) continue;
      const value = e[attribute];
      const photo = Array.isArray(value) ? value[0] : value;
      found.set(guidToString(guid), Buffer.isBuffer(photo) && photo.length > 0 ? photo : null);
    }
    const updates: { row: Pending; photo: string }[] = [];
    for (const row of batch) {
      // Gone from AD meanwhile: the sync that notices says so; its photo stays as it was.
      if (!found.has(row.guid)) continue;
      const bytes = found.get(row.guid)!;
      let photo = '';
      if (bytes)
        try {
          photo = await downscalePhoto(bytes);
        } catch {
          result.unreadable.push(row.logon);
        }
      updates.push({ row, photo });
    }
    result.read += updates.length;
    waiting.push(...updates);
    if (waiting.length >= WRITE_EVERY) await flush();
  }
  await flush();
  return result;
}
