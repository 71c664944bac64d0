/** The brain logs through this; hosts decide where lines go (stderr for the CLI, a file for the tray app). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

export function consoleLogger(write: (line: string) => void = (line) => process.stderr.write(line + '\n')): Logger {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    write(`[mai] ${level} ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
