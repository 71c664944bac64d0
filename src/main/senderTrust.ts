/**
 * Whether an IPC message comes from Mai's own renderer: the built file (file://…/renderer/index.html) or, in
 * development, the electron-vite dev server. A frame navigated elsewhere (which the app also blocks) is refused.
 */
export function isTrustedSenderUrl(senderUrl: string | undefined, rendererUrl: string): boolean {
  if (!senderUrl) return false;
  let sender: URL;
  let expected: URL;
  try {
    sender = new URL(senderUrl);
    expected = new URL(rendererUrl);
  } catch {
    return false;
  }
  if (expected.protocol === 'file:') return sender.protocol === 'file:' && sender.pathname === expected.pathname;
  return sender.origin === expected.origin;
}
