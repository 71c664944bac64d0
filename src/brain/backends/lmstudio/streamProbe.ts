import type { Logger } from '../../logger';
import { BackendError } from '../ModelBackend';
import { withDeadline } from './deadline';
import type { LmStudioConnection } from './LmStudioConnection';
import { respondThroughSdk, type RespondTimings } from './respondThroughSdk';

export interface ProbeSettings {
  timings: RespondTimings;
  callTimeoutMs: number;
  logger: Logger;
}

/**
 * The health check that takes a stalled LM Studio back: it answers, and a one-token answer streams on the model that
 * stalled (its version answering alone says nothing about a frozen engine). Never throws.
 */
export async function streamsAgain(
  connection: LmStudioConnection,
  identifier: string,
  settings: ProbeSettings,
): Promise<boolean> {
  try {
    if ((await connection.health()).status !== 'ready') return false;
    const handle = (await connection.client()).llm.createDynamicHandle(identifier);
    const info = await withDeadline(handle.getModelInfo(), settings.callTimeoutMs, 'check on LM Studio');
    // The model that stalled is gone (ejected, LM Studio restarted): answering is all there is to check.
    if (info === undefined) return true;
    const probe = [{ role: 'user' as const, content: 'Hi' }];
    await respondThroughSdk(handle, identifier, probe, { maxTokens: 1 }, settings.timings, settings.logger);
    return true;
  } catch (error) {
    // An answer that came back empty still came back: the stream works.
    return error instanceof BackendError && error.code === 'empty_answer';
  }
}
