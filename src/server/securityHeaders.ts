/**
 * The renderer's Content-Security-Policy, word for word the one in the meta tag of src/renderer/index.html (which
 * Electron enforces; securityHeaders.test.ts keeps the two equal). The bridge sends it as a header too, because a
 * meta tag cannot carry frame-ancestors and covers only the page, not every response.
 */
export const rendererContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/** Sent on every bridge response: no framing (clickjacking), no token-bearing URL in a Referer, no type sniffing. */
export const securityHeaders: Readonly<Record<string, string>> = {
  'content-security-policy': `${rendererContentSecurityPolicy}; frame-ancestors 'none'`,
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};
