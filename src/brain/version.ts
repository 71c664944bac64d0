import { version } from '../../package.json';

/** Mai's version, from package.json, inlined by every bundle so hosts agree on it. */
export const maiVersion: string = version;
