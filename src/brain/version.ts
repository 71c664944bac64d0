import packageJson from '../../package.json' with { type: 'json' };

/**
 * Mai's version, from package.json, inlined by every bundle so hosts agree on it. The import attribute is what
 * Node's own ESM loader (Playwright's test loader runs on it) requires of a JSON module.
 */
export const maiVersion: string = packageJson.version;
