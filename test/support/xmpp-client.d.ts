/** The part of @xmpp/client (which ships no types) that the tests use. */
declare module '@xmpp/client' {
  interface XmppClient {
    /** Milliseconds each request/answer exchange may take. */
    timeout: number;
    /** Internal: the socket's data handler and the XML parser it feeds (null once stopped). */
    _onData(data: Buffer): void;
    parser: unknown;
    start(): Promise<unknown>;
    stop(): Promise<unknown>;
    on(event: 'error', listener: (err: unknown) => void): void;
  }
  export function client(options: {
    service: string;
    domain: string;
    username: string;
    password: string;
    /** What SASL sends (else username and password). */
    credentials?: { username: string; password: string };
    resource?: string;
  }): XmppClient;
}
