import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** 32 random bytes: unguessable by another local user or a web page probing loopback ports. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `Authorization: Bearer …` (HTTP API, CLI) or `?token=` (browsers cannot set WebSocket headers). */
export function tokenFromRequest(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return url.searchParams.get('token');
}

/**
 * A browser always sends Origin on WebSocket upgrades and cross-origin fetches; a page on another site must not
 * drive Mai through the user's browser. Clients that are not browsers (the CLI) send none and rely on the token.
 */
export function originAllowed(request: IncomingMessage, allowedOrigins: ReadonlySet<string>): boolean {
  const origin = request.headers.origin;
  return origin === undefined || allowedOrigins.has(origin);
}
