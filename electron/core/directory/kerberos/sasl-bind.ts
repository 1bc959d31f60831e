/**
 * SASL binds with binary credentials over ldapts. ldapts 9.2 writes SASL credentials as UTF-8 text and
 * reads the server's reply (serverSaslCreds, [7]) as UTF-8 text, which corrupts GSSAPI tokens both ways.
 * This request writes the credentials as an OCTET STRING, and the BindResponse parse keeps [7] as bytes.
 * Like paged-search.ts it uses ldapts internals (`_send`, `_nextMessageId`); ldapts is pinned.
 */
import { Ber, type BerReader, type BerWriter, BindRequest, BindResponse, type Client } from 'ldapts';

const SERVER_SASL_CREDS = 0x87;
const SASL_CREDENTIALS = 0xa3;

class BinarySaslBindRequest extends BindRequest {
  private readonly credentials: Buffer | null;

  constructor(messageId: number, mechanism: string, credentials: Buffer | null) {
    super({ messageId, mechanism });
    this.credentials = credentials;
  }

  override writeMessage(writer: BerWriter): void {
    writer.writeInt(this.version);
    writer.writeString('');
    writer.startSequence(SASL_CREDENTIALS);
    writer.writeString(this.mechanism ?? '');
    if (this.credentials) writer.writeBuffer(this.credentials, Ber.OctetString);
    writer.endSequence();
  }
}

// Keep the server's SASL credentials as bytes (every other field of a bind response is unchanged).
const parse = BindResponse.prototype.parseMessage;
BindResponse.prototype.parseMessage = function parseKeepingSaslBytes(this: BindResponse, reader: BerReader) {
  const original = reader.readString;
  const readString = original as (this: BerReader, tag?: number, asBuffer?: boolean) => string | Buffer | null;
  reader.readString = function (this: BerReader, tag?: number, asBuffer?: boolean) {
    return readString.call(this, tag, asBuffer || tag === SERVER_SASL_CREDS);
  } as unknown as typeof reader.readString;
  try {
    parse.call(this, reader);
  } finally {
    reader.readString = original;
  }
};

interface ClientInternals {
  _send(message: BindRequest): Promise<BindResponse>;
  _nextMessageId(): number;
  _connect(): Promise<void> | void;
}

export interface SaslStep {
  /** LDAP result code: 0 done, 14 saslBindInProgress, anything else a refusal. */
  status: number;
  serverCredentials: Buffer | null;
  errorMessage: string;
}

export async function saslBindStep(client: Client, mechanism: string, credentials: Buffer | null): Promise<SaslStep> {
  const internals = client as unknown as ClientInternals;
  // ldapts connects lazily inside its public operations; `_send` does not, so a bind that is the first
  // message on the connection (the server named by DNS name: no RootDSE read before it) must connect here.
  if (!client.isConnected) await internals._connect();
  const response = await internals._send(new BinarySaslBindRequest(internals._nextMessageId(), mechanism, credentials));
  const data = (response.data as unknown[]).find((d) => Buffer.isBuffer(d)) as Buffer | undefined;
  return { status: response.status, serverCredentials: data ?? null, errorMessage: response.errorMessage ?? '' };
}
