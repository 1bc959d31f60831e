/** ejabberd's extauth framing, as data (pure unit test; the ejabberd suites drive the same code). */
import { describe, expect, it } from 'vitest';
import { answer, FrameReader, parseRequest } from '../../../../electron/core/extauth/frames.ts';

const frame = (text: string | Buffer) => {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([Buffer.from([body.length >> 8, body.length & 0xff]), body]);
};

describe('extauth frames', () => {
  it('answers with 00 02 then 00 01 for true and 00 00 for false', () => {
    expect([...answer(true)]).toEqual([0, 2, 0, 1]);
    expect([...answer(false)]).toEqual([0, 2, 0, 0]);
  });

  it('cuts frames that arrive split across chunks and several in one chunk', () => {
    const reader = new FrameReader();
    const both = Buffer.concat([frame('isuser:a:d'), frame('isuser:b:d')]);
    expect(reader.push(both.subarray(0, 1))).toEqual([]);
    expect(reader.push(both.subarray(1, 5))).toEqual([]);
    const got = reader.push(both.subarray(5));
    expect(got.map((f) => Buffer.from(f).toString())).toEqual(['isuser:a:d', 'isuser:b:d']);
    expect(reader.end()).toBeNull();
  });

  it('reports a stream that ends inside a frame instead of answering it', () => {
    const reader = new FrameReader();
    expect(reader.push(Buffer.from([0x01, 0x00, 0x41]))).toEqual([]);
    expect(reader.end()).toBe('the stream ended 255 bytes short of a 256-byte frame');
    const half = new FrameReader();
    half.push(Buffer.from([0x00]));
    expect(half.end()).toBe('the stream ended inside a frame length');
  });

  it('keeps every colon after the third one in the password', () => {
    expect(parseRequest(Buffer.from('auth:alice:corp.example.test:pa:ss::word:'))).toEqual({
      ok: true,
      op: 'auth',
      user: 'alice',
      server: 'corp.example.test',
      password: 'pa:ss::word:',
    });
    expect(parseRequest(Buffer.from('auth:alice:corp.example.test:'))).toMatchObject({ ok: true, password: '' });
  });

  it('refuses what is not a request: unknown operations, missing fields, invalid UTF-8', () => {
    expect(parseRequest(Buffer.from('login:alice:corp'))).toEqual({
      ok: false,
      op: 'login',
      reason: 'unknown operation "login" (16 bytes)',
    });
    expect(parseRequest(Buffer.from('S3cret!pass word'))).toEqual({
      ok: false,
      op: '?',
      reason: 'unknown operation "?" (16 bytes)',
    });
    expect(parseRequest(Buffer.from('auth:alice:corp'))).toMatchObject({
      ok: false,
      reason: '"auth" needs a password field',
    });
    expect(parseRequest(Buffer.from('isuser:alice'))).toMatchObject({
      ok: false,
      reason: 'the request has no user or server',
    });
    expect(parseRequest(Buffer.from('isuser::corp'))).toMatchObject({ ok: false });
    expect(parseRequest(Buffer.from('isuser:alice:'))).toMatchObject({
      ok: false,
      reason: 'the request has no server',
    });
    expect(parseRequest(Buffer.from([0x69, 0x73, 0xff, 0xfe]))).toMatchObject({
      ok: false,
      reason: 'the request is not valid UTF-8',
    });
    expect(parseRequest(Buffer.alloc(0))).toMatchObject({ ok: false });
  });
});
