/**
 * Which pages may call the core over IPC: only our own renderer file, as the top frame. Pure, so the
 * adversarial cases are unit-tested without Electron.
 */
export function isTrustedRendererUrl(url: string, rendererUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Hash routes are fine; a query or a different file, host or scheme is not our page.
  return (
    parsed.protocol === 'file:' &&
    parsed.host === '' &&
    parsed.search === '' &&
    `${parsed.protocol}//${parsed.host}${parsed.pathname}` === rendererUrl
  );
}

export function isTrustedSender(
  frame: { url: string; parent: unknown } | null | undefined,
  rendererUrl: string,
): boolean {
  return !!frame && frame.parent === null && isTrustedRendererUrl(frame.url, rendererUrl);
}
