/**
 * What no window of this app may do: navigate away from our page, open windows, attach webviews, or get
 * any permission (camera, notifications, …). Applied to every web contents Electron creates.
 */
import type { App, Event, Session, WebContents } from 'electron';
import { isTrustedRendererUrl } from './trusted-sender.ts';

export function lockDown(
  app: Pick<App, 'on'>,
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  rendererUrl: string,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event: Event, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // Moving within our own page is fine (hash changes); any other page is refused.
    const stay = (event: { preventDefault(): void }, url: string) => {
      if (!isTrustedRendererUrl(url, rendererUrl)) event.preventDefault();
    };
    contents.on('will-navigate', stay);
    contents.on('will-redirect', stay);
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
