import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigErrorInfo } from './ConfigError';
import { hostsFileName, parseHostsYaml } from './hostsConfig';
import type { HostsConfig } from './hostsSchema';
import { layerModelsYaml } from './modelsConfig';
import type { ModelsConfig } from './modelsSchema';
import { layerTiersYaml } from './tiersConfig';
import type { TiersConfig } from './tiersSchema';
import { readCachedConfig, writeCachedConfig } from './configCache';
import type { ConfigText } from './yamlSource';

export const modelsFileName = 'models.yaml';
export const tiersFileName = 'resource_tiers.yaml';

export interface ConfigLocations {
  /** The shipped defaults (see shippedConfigDir). */
  defaultsDir: string;
  /** The user's overrides, `$MAI_HOME/config` (see userConfigDir); null reads none. */
  userDir: string | null;
}

export interface LoadedConfig {
  models: ModelsConfig;
  tiers: TiersConfig;
  /** Other machines whose engines Mai may use (`$MAI_HOME/config/hosts.yaml`, a user file only: none ships). */
  hosts: HostsConfig;
  /** Problems in the user's files, for status to show; each broken file was replaced by its defaults. */
  errors: ConfigErrorInfo[];
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function unreadable(file: string, error: unknown): ConfigError {
  const reason = errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new ConfigError([{ file, line: null, path: '', message: `cannot be read (${reason})` }]);
}

/** A shipped file must exist: without it Mai is broken, not misconfigured. */
function readDefaults(file: string): ConfigText {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    throw unreadable(file, error);
  }
}

/** A user file is optional: a missing one overrides nothing, an unreadable one is reported. */
function readOverride(file: string, errors: ConfigErrorInfo[]): ConfigText | null {
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') errors.push(...unreadable(file, error).errors);
    return null;
  }
}

/** The configuration files' texts as read, before any parsing (a missing user file is null). */
interface ConfigTexts {
  models: ConfigText;
  modelsOverride: ConfigText | null;
  tiers: ConfigText;
  tiersOverride: ConfigText | null;
  hosts: ConfigText | null;
  readErrors: ConfigErrorInfo[];
}

function readConfigTexts({ defaultsDir, userDir }: ConfigLocations): ConfigTexts {
  const readErrors: ConfigErrorInfo[] = [];
  const override = (name: string) => (userDir === null ? null : readOverride(path.join(userDir, name), readErrors));
  return {
    models: readDefaults(path.join(defaultsDir, modelsFileName)),
    modelsOverride: override(modelsFileName),
    tiers: readDefaults(path.join(defaultsDir, tiersFileName)),
    tiersOverride: override(tiersFileName),
    hosts: override(hostsFileName),
    readErrors,
  };
}

function parseConfigTexts(texts: ConfigTexts): LoadedConfig {
  const models = layerModelsYaml(texts.models, texts.modelsOverride);
  const tiers = layerTiersYaml(texts.tiers, texts.tiersOverride);
  const hosts = texts.hosts === null ? { hosts: [], errors: [] } : parseHostsYaml(texts.hosts);
  return {
    models: models.value,
    tiers: tiers.value,
    hosts: hosts.hosts,
    errors: [...texts.readErrors, ...models.errors, ...tiers.errors, ...hosts.errors],
  };
}

/**
 * The parsing code's own file (its size and time): in a build that is the bundle chunk holding every schema, so a
 * rebuilt Mai of the same version never trusts a parse its older code made.
 */
function codeStamp(): string {
  try {
    const info = statSync(fileURLToPath(import.meta.url));
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return '';
  }
}

export interface ConfigCache {
  /** `$MAI_HOME/cache/config.json`: the last parse, reused while every file reads the same. */
  file: string;
  /** The Mai that parses: another version may parse the same texts differently. */
  maiVersion: string;
}

/**
 * Reads the shipped models.yaml and resource_tiers.yaml and lays the user's files over them, and the user's
 * hosts.yaml. Synchronous: it runs once at start, before anything else needs the answer. Throws ConfigError only
 * for broken shipped files. With a cache, texts that are exactly the last run's are not parsed again: parsing and
 * checking them is ~70 ms of every `mai` command's start (YAML composition and the zod checks, --cpu-prof).
 */
export function loadConfig(locations: ConfigLocations, cache?: ConfigCache): LoadedConfig {
  const texts = readConfigTexts(locations);
  if (!cache) return parseConfigTexts(texts);
  const key = createHash('sha256')
    .update(JSON.stringify([cache.maiVersion, codeStamp(), texts]))
    .digest('hex');
  const cached = readCachedConfig(cache.file, key);
  if (cached) return cached;
  const config = parseConfigTexts(texts);
  writeCachedConfig(cache.file, key, config);
  return config;
}
