/**
 * Planning while the directory is read. A DC prepares each page of a paged search before it sends any of it
 * (Samba: ≈ 120 ms per 1 000 entries, and seconds for the first), and the run waits for it; planning after the
 * read added 0.5 s to a no-change sync of 20 000 accounts. Most entries can be planned as they arrive: their
 * plan does not depend on the entries still to come (`Planner.decidableBeforeTheEnd`). The others are set
 * aside and planned once the read is complete, exactly as before.
 *
 * The users database is read once, while the DC prepares the first page. A write to it after that (another
 * import, an on-the-fly logon) is noticed by its revision, and the run then plans everything again on what the
 * database holds at the end (the apply checks once more, under the write lock).
 */
import { OuTree } from '../database/ou-tree.ts';
import { revisionOf } from '../database/users-database.ts';
import type { SqlQueryable } from '../database/engine/sql-engine.ts';
import type { AdAccount } from './ad-account.ts';
import { type PlanOptions, Planner } from './planner.ts';
import type { Stage } from './stage.ts';

export class PlanWhileReading {
  private planner: Planner | null = null;
  private revision = 0;
  private readonly q: SqlQueryable;
  private readonly stage: Stage;
  private readonly options: Omit<PlanOptions, 'seenGuids'>;
  /** Whether the users database's accounts are read (a sync matches entries against them; Create does not). */
  private readonly withAccounts: boolean;

  private constructor(q: SqlQueryable, stage: Stage, options: Omit<PlanOptions, 'seenGuids'>, withAccounts: boolean) {
    this.q = q;
    this.stage = stage;
    this.options = options;
    this.withAccounts = withAccounts;
    this.photosMayBeDue = !withAccounts; // every account a new database creates has its photo to read
  }

  /**
   * For a whole read of a source: with Create a new database always, with Synchronize when the source held at
   * least half of the database's accounts at its last full pass (`expected`; as `Stage.loadLocal` decides
   * between the whole table and the accounts of the entries). Null where planning waits for the whole read.
   */
  static async consider(
    q: SqlQueryable,
    stage: Stage,
    options: Omit<PlanOptions, 'seenGuids'>,
    expected: number | null,
  ): Promise<PlanWhileReading | null> {
    if (options.mode === 'new') return new PlanWhileReading(q, stage, options, false);
    if (options.mode !== 'sync' || expected === null) return null;
    const total = Number((await q.get<{ n: number }>('SELECT count(*) AS n FROM accounts'))!.n);
    return total <= 2 * expected ? new PlanWhileReading(q, stage, options, true) : null;
  }

  /** What is read before the first entry: the database's revision, its server OUs and (sync) its accounts. */
  async prepare(): Promise<void> {
    this.revision = await revisionOf(this.q);
    const tree = await OuTree.read(this.q);
    if (this.withAccounts) await this.stage.loadAllLocal(this.q);
    this.planner = new Planner(this.stage, tree, { ...this.options, seenGuids: new Set() });
  }

  /**
   * Whether a photo may be due once this run is applied: an entry that creates an account, or whose uSNChanged is
   * not the one its account's photo was read at (a photo change changes nothing else the run sees). When none is,
   * the run asks the DC nothing about photos (the photo census is a search of the whole source).
   */
  photosMayBeDue: boolean;

  /** An entry as it was read (and staged): planned now, or set aside for the end. Inside the stage's batch. */
  take(account: AdAccount): void {
    if (!this.photosMayBeDue) {
      const mark = this.stage.localMark(account.guid);
      this.photosMayBeDue = mark === undefined || mark.photoUsn !== account.usn;
    }
    const planner = this.planner!;
    if (!planner.admit(account)) return;
    if (planner.decidableBeforeTheEnd(account)) planner.decide(account);
    else this.stage.defer(account.guid);
  }

  /**
   * Once the read is complete: the planner with every entry planned, or null when the database changed since
   * `prepare` read it (the plan so far is dropped; the caller plans everything on the database as it is now).
   */
  async finish(seenGuids: ReadonlySet<string>): Promise<Planner | null> {
    if (!this.planner || (await revisionOf(this.q)) !== this.revision) {
      this.stage.clearPlan();
      return null;
    }
    const planner = this.planner;
    planner.markSeen(seenGuids);
    this.stage.begin();
    try {
      for (const account of this.stage.accounts(true)) planner.decide(account);
    } finally {
      this.stage.commit();
    }
    return planner;
  }
}
