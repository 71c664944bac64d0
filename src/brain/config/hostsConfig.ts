import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigErrorInfo } from './ConfigError';
import { formatPath, issuesToErrors } from './issues';
import { HostsConfigSchema, type HostsConfig } from './hostsSchema';
import { readYamlSource, type ConfigText, type YamlSource } from './yamlSource';

export const hostsFileName = 'hosts.yaml';

export interface LoadedHosts {
  hosts: HostsConfig;
  /** Problems in hosts.yaml; a file that does not validate gives no hosts at all (half a list could misroute). */
  errors: ConfigErrorInfo[];
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : String(error);
}

/**
 * A token file is the host's own secret, read when its engine is reached: here only its path is resolved (relative
 * to hosts.yaml's folder) and checked readable, so a wrong path is a named error at start, not a silent refusal.
 * The host stays: it may answer without a token, and its status says when it does not.
 */
function resolveTokenFiles(hosts: HostsConfig, source: YamlSource): { hosts: HostsConfig; errors: ConfigErrorInfo[] } {
  const errors: ConfigErrorInfo[] = [];
  const resolved = hosts.map((host, index) => {
    if (host.tokenFile === null) return host;
    const tokenFile = path.resolve(path.dirname(source.file), host.tokenFile);
    try {
      accessSync(tokenFile, constants.R_OK);
    } catch (error) {
      const at = ['hosts', index, 'token_file'];
      errors.push({
        file: source.file,
        line: source.lineOf(at),
        path: formatPath(at),
        message: `token_file cannot be read (${errorCode(error)}): ${tokenFile}`,
      });
    }
    return { ...host, tokenFile };
  });
  return { hosts: resolved, errors };
}

/** Parses hosts.yaml's text; problems come back named by file, line and field, never thrown. */
export function parseHostsYaml(text: ConfigText): LoadedHosts {
  try {
    const source = readYamlSource(text);
    // An empty file (or one with only comments) names no hosts.
    if (source.data === null || source.data === undefined) return { hosts: [], errors: [] };
    const parsed = HostsConfigSchema.safeParse(source.data);
    if (!parsed.success) throw new ConfigError(issuesToErrors(parsed.error.issues, source.data, source, (p) => p));
    return resolveTokenFiles(parsed.data, source);
  } catch (error) {
    if (error instanceof ConfigError) return { hosts: [], errors: [...error.errors] };
    throw error;
  }
}
