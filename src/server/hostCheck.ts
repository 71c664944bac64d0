import { isIP } from 'node:net';

/** What a Host header names: the host (IPv6 without brackets, lower case) and the port, null when absent. */
function parseHostHeader(header: string): { name: string; port: number | null } | null {
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(header.toLowerCase());
  if (!match) return null;
  return { name: match[1] ?? match[2] ?? '', port: match[3] === undefined ? null : Number(match[3]) };
}

const wildcardHosts = new Set(['0.0.0.0', '::', '']);

/**
 * Defence in depth against DNS rebinding: a page at evil.example whose name is made to resolve to 127.0.0.1 reaches
 * the bridge with `Host: evil.example:PORT`, so only the names this server is really known by are served. A server
 * bound to every interface is reached through the machine's addresses, so there any IP literal passes too: a
 * rebinding page always sends its own host name, never a bare address.
 *
 * Returns null when the Host is allowed, else what is wrong with it, safe to show the client.
 */
export function hostProblem(header: string | undefined, boundHost: string, port: number): string | null {
  const allowed = `127.0.0.1:${port}, localhost:${port} or [::1]:${port}`;
  if (!header) return `the request has no Host header; use ${allowed}`;
  const parsed = parseHostHeader(header);
  // A browser leaves the port out of Host only when it is the scheme's default.
  const portMatches = parsed !== null && (parsed.port ?? 80) === port;
  const names = new Set(['127.0.0.1', 'localhost', '::1', boundHost.toLowerCase()]);
  if (portMatches && (names.has(parsed.name) || (wildcardHosts.has(boundHost) && isIP(parsed.name) !== 0))) {
    return null;
  }
  // Capped: the header is the client's text, echoed back only to say what was refused.
  return `Host "${header.slice(0, 100)}" is not this server; use ${allowed}`;
}
