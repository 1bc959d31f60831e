/** Certificate refusals classified from real TLS handshakes against servers with bad certificates. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTcp, handshakeLdaps } from '../../../../electron/core/directory/connection.ts';
import { Failure } from '../../../../electron/core/failure.ts';
import { explainCertificate, trustedCas } from '../../../../electron/core/directory/tls-check.ts';
import { realPartsAvailable } from '../../../support/real-parts.ts';
import { createTestCa } from '../../../support/samba-dc.ts';
import { tempDirFor } from '../../../support/temp-dir.ts';

const openssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });

/** A CA, a leaf it signed that expired in 2020, and a self-signed leaf. */
function makeBadCertificates(dir: string) {
  createTestCa(dir, 'ca', 'Bad Cert Test CA');
  fs.writeFileSync(path.join(dir, 'index.txt'), '');
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca=d',
      '[d]',
      'dir=.',
      'database=index.txt',
      'new_certs_dir=.',
      'serial=serial',
      'policy=p',
      'default_md=sha256',
      'copy_extensions=copy',
      '[p]',
      'commonName=supplied',
    ].join('\n'),
  );
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'expired.key',
    '-out',
    'expired.csr',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
  openssl(
    dir,
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'ca.pem',
    '-keyfile',
    'ca.key',
    '-in',
    'expired.csr',
    '-out',
    'expired.pem',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-notext',
  );
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '30',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  );
}

async function serve(dir: string, name: string): Promise<{ port: number; close: () => void }> {
  const server = tls.createServer(
    { key: fs.readFileSync(path.join(dir, `${name}.key`)), cert: fs.readFileSync(path.join(dir, `${name}.pem`)) },
    (s) => s.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

async function handshake(port: number, ca: string[]): Promise<unknown> {
  const { socket } = await connectTcp(['127.0.0.1'], port, 5000);
  try {
    await handshakeLdaps(socket, '127.0.0.1', port, ca, 5000);
    return null;
  } catch (err) {
    return err;
  } finally {
    socket.destroy();
  }
}

describe.runIf(realPartsAvailable())('TLS refusals from real handshakes', () => {
  const dir = tempDirFor('bad-certs');
  beforeAll(() => makeBadCertificates(dir));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('calls an expired certificate expired, with its end date', async () => {
    const server = await serve(dir, 'expired');
    const err = await handshake(server.port, trustedCas(path.join(dir, 'ca.pem')));
    server.close();
    expect(err).toBeInstanceOf(Failure);
    expect(err).toMatchObject({
      code: 'tls-expired',
      message: expect.stringMatching(/expired on Feb {1,2}1 00:00:00 2020 GMT/),
    });
  });

  it('calls a self-signed certificate self-signed', async () => {
    const server = await serve(dir, 'self');
    const err = await handshake(server.port, trustedCas(''));
    server.close();
    expect(err).toMatchObject({ code: 'tls-self-signed', hint: expect.stringMatching(/CA certificate file/) });
  });

  it('accepts the self-signed certificate once the admin names it as trusted', async () => {
    const server = await serve(dir, 'self');
    const err = await handshake(server.port, trustedCas(path.join(dir, 'self.pem')));
    server.close();
    expect(err).toBeNull();
  });
});

describe('CA file and certificate explanations', () => {
  it('explains an unreadable or non-PEM CA file', () => {
    expect(() => trustedCas('/nonexistent/ca.pem')).toThrow(/cannot be read \(ENOENT\)/);
    const dir = tempDirFor('not-pem');
    fs.writeFileSync(path.join(dir, 'ca.der'), Buffer.from([0x30, 0x82, 0x01]));
    expect(() => trustedCas(path.join(dir, 'ca.der'))).toThrow(/holds no PEM certificate/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds the CA file to the system store instead of replacing it', () => {
    expect(trustedCas('').length).toBe(tls.rootCertificates.length);
  });

  it('words a not-yet-valid certificate as a clock problem', () => {
    expect(explainCertificate('CERT_NOT_YET_VALID', 'dc1', null).hint).toMatch(/date and time/);
  });
});
