import type { ConfigErrorInfo } from '../../shared/contract';

export type { ConfigErrorInfo };

/** "models.yaml:14 models[2].min_memory_gb: min_memory_gb must be a number ≥ 0, got "lots"" */
export function formatConfigError(info: ConfigErrorInfo): string {
  const where = info.line === null ? info.file : `${info.file}:${info.line}`;
  return info.path === '' ? `${where}: ${info.message}` : `${where} ${info.path}: ${info.message}`;
}

/**
 * A configuration file that cannot be used. It carries every problem found in the file as plain records
 * (the shape status sends to UIs), so one run of Mai reports them all instead of one per restart.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly errors: readonly ConfigErrorInfo[];

  constructor(errors: readonly ConfigErrorInfo[]) {
    super(errors.map(formatConfigError).join('\n'));
    this.errors = errors.map((info) => ({ ...info }));
  }
}
