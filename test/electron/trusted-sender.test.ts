import { describe, expect, it } from 'vitest';
import { isTrustedRendererUrl, isTrustedSender } from '../../electron/trusted-sender.ts';

const RENDERER = 'file:///opt/AD%20Console/resources/app.asar/dist/renderer/index.html';

describe('isTrustedRendererUrl', () => {
  it('trusts our renderer page, with or without a hash', () => {
    expect(isTrustedRendererUrl(RENDERER, RENDERER)).toBe(true);
    expect(isTrustedRendererUrl(`${RENDERER}#/dialog`, RENDERER)).toBe(true);
  });

  it.each([
    ['another local file', 'file:///tmp/evil.html'],
    ['a sibling file', RENDERER.replace('index.html', 'other.html')],
    ['a path that only starts like ours', `${RENDERER}.evil.html`],
    [
      'a traversal that leaves the folder',
      'file:///opt/AD%20Console/resources/app.asar/dist/renderer/../../../evil/index.html',
    ],
    ['a query string', `${RENDERER}?x=1`],
    ['a web page', 'https://evil.example/index.html'],
    ['a file URL with a host', 'file://evil-host/opt/AD%20Console/resources/app.asar/dist/renderer/index.html'],
    ['about:blank', 'about:blank'],
    ['junk', 'not a url'],
  ])('refuses %s', (_what, url) => {
    expect(isTrustedRendererUrl(url, RENDERER)).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('trusts only the top frame of our page', () => {
    expect(isTrustedSender({ url: RENDERER, parent: null }, RENDERER)).toBe(true);
    expect(isTrustedSender({ url: RENDERER, parent: {} }, RENDERER)).toBe(false);
    expect(isTrustedSender(null, RENDERER)).toBe(false);
  });
});
