/** The window lockdown with Electron's objects stood in for (pure unit test: no Electron binary here). */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { lockDown } from '../../electron/lockdown.ts';

const RENDERER = 'file:///opt/AD%20Console/resources/app.asar/dist/renderer/index.html';

function harness() {
  const app = new EventEmitter();
  let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  let check: (() => boolean) | null = null;
  const session = {
    setPermissionRequestHandler: (fn: typeof request) => (request = fn),
    setPermissionCheckHandler: (fn: typeof check) => (check = fn),
  };
  lockDown(app as never, session as never, RENDERER);
  const contents = Object.assign(new EventEmitter(), {
    openHandler: null as null | (() => { action: string }),
    setWindowOpenHandler(fn: () => { action: string }) {
      this.openHandler = fn;
    },
  });
  app.emit('web-contents-created', {}, contents);
  const fire = (name: string, url?: string) => {
    let prevented = false;
    contents.emit(name, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { request: request!, check: check!, contents, fire };
}

describe('lockDown', () => {
  it('refuses every permission request and check', () => {
    const { request, check } = harness();
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      let answer: boolean | null = null;
      request({}, permission, (ok) => (answer = ok));
      expect(answer).toBe(false);
    }
    expect(check()).toBe(false);
  });

  it('keeps every window on our page: other pages, files and schemes are refused; our page with a hash is not', () => {
    const { fire } = harness();
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      `${RENDERER}?x=1`,
      'javascript:alert(1)',
      'data:text/html,hi',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(fire('will-navigate', url), url).toBe(true);
      expect(fire('will-redirect', url), url).toBe(true);
    }
    expect(fire('will-navigate', `${RENDERER}#users`)).toBe(false);
  });

  it('denies new windows and webviews', () => {
    const { contents, fire } = harness();
    expect(contents.openHandler!()).toEqual({ action: 'deny' });
    expect(fire('will-attach-webview')).toBe(true);
  });
});
