/**
 * The URL of a request, or null when its target is not a path. Only the origin form (`/path?query`) is served: it is
 * resolved against a fixed base by concatenation, so `//x` stays the path `//x` instead of naming a host `x` (or, as
 * `new URL('//', base)` does, throwing out of the request handler and taking the server down). The absolute form
 * would also let the target override the Host header that hostProblem checks.
 */
export function requestTarget(raw: string | undefined): URL | null {
  if (!raw?.startsWith('/')) return null;
  try {
    return new URL(`http://localhost${raw}`);
  } catch {
    return null;
  }
}
