/**
 * Paged search that follows the server's cookie to the end. ldapts 9.2 stops at the first empty page
 * even when the server says more follows (AD sends such pages when a selective filter scans many
 * objects), silently losing entries; and it sends nothing when a caller stops early. This loop reads
 * the cookie itself and, when stopped early, tells the server to drop the search (RFC 2696: size 0).
 * It sends its own requests through the ldapts adapter; the integration tests page through the real DC.
 */
import {
  type Client,
  type Entry,
  FilterParser,
  MessageResponseStatus,
  PagedResultsControl,
  SearchRequest,
  type SearchResponse,
  StatusCodeParser,
} from 'ldapts';
import { sendRequest } from './ldapts-adapter.ts';

export interface PagedSearchOptions {
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
  explicitBufferAttributes?: string[];
  pageSize: number;
  /** Seconds the server may spend per page. */
  timeLimit: number;
  /** Work to do once the first page is asked for, while the server prepares it (it may take seconds). */
  whileFirstPageIsPrepared?: () => Promise<void>;
}

function request(
  messageId: number,
  baseDN: string,
  options: PagedSearchOptions,
  size: number,
  cookie: Buffer,
): SearchRequest {
  return new SearchRequest({
    messageId,
    baseDN,
    scope: options.scope,
    filter: FilterParser.parseString(options.filter),
    attributes: options.attributes,
    explicitBufferAttributes: options.explicitBufferAttributes ?? [],
    timeLimit: options.timeLimit,
    controls: [new PagedResultsControl({ value: { size, cookie } })],
  });
}

/**
 * Yields one array of entries per page (possibly empty) until the server's cookie is empty. The request
 * for the next page goes out before the current page is handed over, so the server prepares it while
 * the caller processes this one.
 */
export async function* pagedSearch(
  client: Client,
  baseDN: string,
  options: PagedSearchOptions,
): AsyncGenerator<Entry[]> {
  const send = (size: number, cookie: Buffer) =>
    sendRequest<SearchResponse>(client, (id) => request(id, baseDN, options, size, cookie));
  let cookie: Buffer = Buffer.alloc(0);
  let finished = false;
  let pending: Promise<SearchResponse> | null = send(options.pageSize, cookie);
  try {
    if (options.whileFirstPageIsPrepared) {
      pending.catch(() => undefined); // the server's answer is read below, after the caller's work
      await options.whileFirstPageIsPrepared();
    }
    while (pending) {
      const result: SearchResponse = await pending;
      pending = null;
      if (result.status !== MessageResponseStatus.Success) throw StatusCodeParser.parse(result);
      const control = result.controls?.find((c): c is PagedResultsControl => c instanceof PagedResultsControl);
      cookie = control?.value?.cookie ?? Buffer.alloc(0);
      finished = cookie.length === 0;
      if (!finished) pending = send(options.pageSize, cookie);
      yield result.searchEntries.map((entry) =>
        entry.toObject(options.attributes, options.explicitBufferAttributes ?? []),
      );
    }
  } finally {
    if (!finished) {
      // Stopped early (cancel, error in the consumer): let a page already asked for arrive, then release
      // the server's paged-search state (RFC 2696: size 0 with the last cookie).
      const last = await pending?.catch(() => null);
      const lastCookie =
        last?.controls?.find((c): c is PagedResultsControl => c instanceof PagedResultsControl)?.value?.cookie ??
        cookie;
      if (lastCookie.length > 0) await send(0, lastCookie).catch(() => undefined);
    }
  }
}
