import type { LoggerInterface } from '@lmstudio/sdk';
import type { Logger } from '../../logger';
import { plainSdkMessage } from './sdkErrors';

function text(message: unknown): string {
  if (typeof message === 'string' || message instanceof Error) return plainSdkMessage(message);
  try {
    return JSON.stringify(message) ?? String(message);
  } catch {
    // Circular SDK objects (sockets, ports) still get a line rather than a logging crash.
    return String(message);
  }
}

const line = (messages: unknown[]): string => messages.map(text).join(' ');

/**
 * Routes the SDK's own logging (default: console, boxed and coloured) into Mai's logger as plain lines. The SDK warns
 * on every socket error and protocol mismatch; those belong in Mai's log, not on a terminal the CLI is drawing on.
 * `clean` takes secrets out of each line: the SDK may quote what it sent.
 */
export function sdkLoggerFor(logger: Logger, clean: (text: string) => string = (text) => text): LoggerInterface {
  return {
    info: (...messages) => logger.info(clean(`LM Studio SDK: ${line(messages)}`)),
    debug: () => {},
    warn: (...messages) => logger.warn(clean(`LM Studio SDK: ${line(messages)}`)),
    error: (...messages) => logger.error(clean(`LM Studio SDK: ${line(messages)}`)),
  };
}
