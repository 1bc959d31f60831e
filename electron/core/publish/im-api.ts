/**
 * ejabberd's admin API (mod_http_api): `POST <imApi>/<command>` with the command's named arguments as JSON.
 * Calls run a few at a time on kept-alive connections; every failure says what failed and what to do —
 * ejabberd not answering, a command its api_permissions refuse (HTTP 403, named), a missing command, a host
 * it does not serve.
 */
import fs from 'node:fs';
import type { Settings } from '../../../shared/settings.ts';
import { parseImApi } from '../../../shared/im-api.ts';
import { Failure } from '../failure.ts';

/** Calls in flight at once: ejabberd answers a vCard in 3–4 ms, faster with several in flight (DESIGN §12). */
export const PARALLEL_CALLS = 8;

/** Why a call got no answer, in words (fetch reports Node's and undici's codes). */
const UNREACHABLE_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there',
  ECONNRESET: 'the connection was closed',
  UND_ERR_SOCKET: 'the connection was closed',
  ENOTFOUND: 'the name is not known to DNS',
  EHOSTUNREACH: 'the host is unreachable',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its certificate's issuer is not trusted",
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another name',
};

/** ejabberd does not serve the host: publishing to it cannot work until imDomains or ejabberd.yml change. */
export function wrongHost(host: string): Failure {
  return new Failure(
    'im-wrong-host',
    `ejabberd does not serve ${host}, the IM host AD Console publishes the directory to.`,
    `Make the first of imDomains a host in ejabberd.yml's hosts list (bcscmd /IMCONFIG prints it), or add ${host} ` +
      'there and reload ejabberd.',
  );
}

export class ImApi {
  readonly url: string;
  private readonly token: string | null;
  private readonly timeoutMs: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Calls made, for tests and the benchmark. */
  calls = 0;

  constructor(options: { url: string; token: string | null; timeoutMs: number }) {
    this.url = options.url;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs;
  }

  /** The API the settings name, or null when publishing is off; the Failure says why a setting cannot be used. */
  static fromSettings(settings: Settings): ImApi | null {
    const parsed = parseImApi(settings.imApi);
    if (!parsed.ok)
      throw new Failure('invalid-settings', `IM server API: ${parsed.error}`, 'Correct imApi (Advanced settings).');
    if (!parsed.url) return null;
    let token: string | null = null;
    if (settings.imApiTokenFile.trim()) {
      try {
        token = fs.readFileSync(settings.imApiTokenFile.trim(), 'utf8').split(/\r?\n/)[0]!.trim() || null;
      } catch (err) {
        throw new Failure(
          'im-token-unreadable',
          `The IM server API token file ${settings.imApiTokenFile} cannot be read ` +
            `(${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
          'Make it readable by the account that runs AD Console, or clear imApiTokenFile.',
        );
      }
    }
    return new ImApi({ url: parsed.url, token, timeoutMs: Math.max(5, settings.timeout) * 1000 });
  }

  private async slot(): Promise<void> {
    if (this.running < PARALLEL_CALLS) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }

  async call<T = unknown>(command: string, args: Record<string, unknown>): Promise<T> {
    await this.slot();
    this.calls++;
    try {
      let response: Response;
      try {
        response = await fetch(`${this.url}/${command}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
          },
          body: JSON.stringify(args),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        throw this.unreachable(err);
      }
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON: said as it came.
      }
      if (response.ok) return body as T;
      throw this.refused(command, args, response.status, body);
    } finally {
      this.release();
    }
  }

  /** ejabberd serves `host` (one cheap read; a host it does not serve is said so, not as a failed call). */
  async checkHost(host: string): Promise<void> {
    try {
      await this.call('get_vcard', { user: 'adconsole-host-check', host, name: 'REV' });
    } catch (err) {
      // The expected answer: that user has no vCard, on a host ejabberd serves.
      if (err instanceof Failure && err.code === 'im-refused' && /no_vcard/.test(err.message)) return;
      throw err;
    }
  }

  private unreachable(err: unknown): Failure {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    const why =
      cause === 'TimeoutError' ? `no answer within ${this.timeoutMs / 1000} s` : (UNREACHABLE_WORDS[cause] ?? cause);
    return new Failure(
      'im-unreachable',
      `The IM server's API at ${this.url} does not answer (${why}).`,
      "Check that ejabberd runs with AD Console's API listener (bcscmd /IMCONFIG prints it) and that imApi names " +
        'it. Nothing is lost: the changes go out when it answers again.',
      { cause: err },
    );
  }

  private refused(command: string, args: Record<string, unknown>, status: number, body: unknown): Failure {
    const message =
      typeof body === 'object' && body && 'message' in body
        ? String((body as { message: unknown }).message)
        : String(body);
    if (status === 403)
      return new Failure(
        'im-forbidden',
        `ejabberd refuses the command ${command} to AD Console (HTTP 403: ${message}).`,
        `Add ${command} to the "what" list of AD Console's api_permissions in ejabberd.yml (bcscmd /IMCONFIG prints ` +
          'the lines), then reload ejabberd (ejabberdctl reload_config).',
      );
    if (status === 401)
      return new Failure(
        'im-forbidden',
        `ejabberd does not accept AD Console's token for ${command} (HTTP 401: ${message}).`,
        'Put a valid OAuth token of an ejabberd administrator in the file imApiTokenFile names.',
      );
    if (status === 404)
      return new Failure(
        'im-command-missing',
        `ejabberd has no command ${command} (HTTP 404: ${message}).`,
        'Enable mod_admin_extra and mod_shared_roster in ejabberd.yml (bcscmd /IMCONFIG prints the lines).',
      );
    const host = typeof args.host === 'string' ? args.host : null;
    if (host && /wrong_?host/i.test(message)) return wrongHost(host);
    return new Failure(
      'im-refused',
      `ejabberd refused ${command}${host ? ` for ${host}` : ''} (HTTP ${status}: ${message}).`,
      status === 500 && host
        ? `Is ${host} one of ejabberd's hosts? If it is, see ejabberd.log for why; the next publish tries again.`
        : 'See ejabberd.log for why; the next publish tries again.',
    );
  }
}
