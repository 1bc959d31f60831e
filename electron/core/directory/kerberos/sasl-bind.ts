/**
 * SASL binds with binary credentials over ldapts. ldapts 9.2 writes SASL credentials as UTF-8 text,
 * which corrupts GSSAPI tokens: this request writes them as an OCTET STRING. The reply's credentials
 * are kept as bytes by the ldapts adapter, which also sends the request.
 */
import { Ber, type BerWriter, BindRequest, type BindResponse, type Client } from 'ldapts';
import { sendRequest } from '../ldapts-adapter.ts';

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

export interface SaslStep {
  /** LDAP result code: 0 done, 14 saslBindInProgress, anything else a refusal. */
  status: number;
  serverCredentials: Buffer | null;
  errorMessage: string;
}

export async function saslBindStep(client: Client, mechanism: string, credentials: Buffer | null): Promise<SaslStep> {
  const response = await sendRequest<BindResponse>(
    client,
    (messageId) => new BinarySaslBindRequest(messageId, mechanism, credentials),
  );
  const data = (response.data as unknown[]).find((d) => Buffer.isBuffer(d)) as Buffer | undefined;
  return { status: response.status, serverCredentials: data ?? null, errorMessage: response.errorMessage ?? '' };
}
