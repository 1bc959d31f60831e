/**
 * A real XMPP client (@xmpp/client) that stays online as a user's IM client does: it fetches its roster, keeps
 * it current from the server's roster pushes, sends its presence and records its contacts' presences, and asks
 * for vCards. Waiting is event-driven: each wait resolves on the stanza that satisfies it (or fails on time).
 */
import { randomUUID } from 'node:crypto';
import { client, xml, type XmlElement } from '@xmpp/client';
import type { Ejabberd } from './ejabberd.ts';
import { quietStop, trustServer, utf8Binary } from './xmpp.ts';

export interface RosterEntry {
  jid: string;
  name: string;
  groups: string[];
}

const ROSTER = 'jabber:iq:roster';

export class XmppSession {
  readonly roster = new Map<string, RosterEntry>();
  /** Each contact's latest presence (bare JID → the stanza; unavailable ones removed). */
  readonly presences = new Map<string, XmlElement>();
  private readonly waiters = new Set<() => void>();
  private readonly xmpp: ReturnType<typeof client>;
  private readonly stopping: () => void;

  private constructor(xmpp: ReturnType<typeof client>) {
    this.xmpp = xmpp;
    this.stopping = quietStop(xmpp);
    xmpp.on('stanza', (stanza: XmlElement) => this.received(stanza));
  }

  static async open(server: Ejabberd, username: string, password: string): Promise<XmppSession> {
    trustServer(server);
    const xmpp = client({
      service: `xmpp://127.0.0.1:${server.port}`,
      domain: server.domain,
      username,
      password,
      credentials: { username: utf8Binary(username), password: utf8Binary(password) },
      // A resource of its own: two sessions of one user would otherwise replace each other, back and forth.
      resource: `session-${randomUUID().slice(0, 8)}`,
    });
    xmpp.on('error', () => undefined);
    xmpp.timeout = 30_000;
    const session = new XmppSession(xmpp);
    await xmpp.start();
    await session.fetchRoster();
    return session;
  }

  private received(stanza: XmlElement): void {
    if (stanza.is('iq') && stanza.attrs.type === 'set') {
      const query = stanza.getChild('query', ROSTER);
      if (query) {
        for (const item of query.getChildren('item')) this.apply(item);
        void this.xmpp.send(xml('iq', { type: 'result', id: stanza.attrs.id ?? '' })).catch(() => undefined);
      }
    }
    if (stanza.is('presence')) {
      const from = String(stanza.attrs.from ?? '').replace(/\/.*$/, '');
      if (stanza.attrs.type === 'unavailable') this.presences.delete(from);
      else if (!stanza.attrs.type) this.presences.set(from, stanza);
    }
    for (const wake of [...this.waiters]) wake();
  }

  private apply(item: XmlElement): void {
    const jid = String(item.attrs.jid);
    if (item.attrs.subscription === 'remove') this.roster.delete(jid);
    else
      this.roster.set(jid, {
        jid,
        name: String(item.attrs.name ?? ''),
        groups: item
          .getChildren('group')
          .map((g) => g.text())
          .sort(),
      });
  }

  /** The roster as the server has it now (replacing what pushes built). */
  async fetchRoster(): Promise<RosterEntry[]> {
    const result = await this.xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: ROSTER })));
    this.roster.clear();
    for (const item of result.getChild('query', ROSTER)?.getChildren('item') ?? []) this.apply(item);
    return this.entries();
  }

  entries(): RosterEntry[] {
    return [...this.roster.values()].sort((a, b) => a.jid.localeCompare(b.jid));
  }

  /** Sends initial presence: the server answers with the presences of the contacts online. */
  async available(): Promise<void> {
    await this.xmpp.send(xml('presence'));
  }

  /** Resolves once `ready()` holds (checked now and at every stanza received); fails after `timeoutMs`. */
  async until(what: string, ready: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (ready()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  /** The vCard of `jid` (or one's own), or null when the server has none. */
  async vcard(jid?: string): Promise<XmlElement | null> {
    try {
      const result = await this.xmpp.iqCaller.request(
        xml('iq', { type: 'get', ...(jid ? { to: jid } : {}) }, xml('vCard', { xmlns: 'vcard-temp' })),
      );
      const card = result.getChild('vCard', 'vcard-temp');
      return card && card.children.length > 0 ? card : null;
    } catch {
      return null;
    }
  }

  async close(): Promise<void> {
    this.stopping();
    await this.xmpp.stop().catch(() => undefined);
  }
}
