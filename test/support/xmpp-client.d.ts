/** The part of @xmpp/client (which ships no types) that the tests use. */
declare module '@xmpp/client' {
  /** An element (ltx): what the server sends, and what xml() builds. */
  interface XmlElement {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (XmlElement | string)[];
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): XmlElement | undefined;
    getChildren(name: string, xmlns?: string): XmlElement[];
    getChildText(name: string, xmlns?: string): string | null;
    text(): string;
    toString(): string;
  }
  export function xml(name: string, attrs?: Record<string, string>, ...children: (XmlElement | string)[]): XmlElement;
  interface XmppClient {
    send(element: XmlElement): Promise<void>;
    iqCaller: { request(element: XmlElement, timeout?: number): Promise<XmlElement> };
    on(event: 'stanza', listener: (stanza: XmlElement) => void): void;
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
