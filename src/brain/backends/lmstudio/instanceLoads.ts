import type { LMStudioClient } from '@lmstudio/sdk';
import type { Logger } from '../../logger';
import { BackendError, type LoadedModel, type LoadOptions } from '../ModelBackend';
import { chooseLoaded, type InstanceBook, type KnownInstance } from './instanceBook';
import { loadThroughSdk } from './loadThroughSdk';

/** What loading needs of the backend: its book of instances and how it reads LM Studio's loaded ones. */
export interface InstanceLoadContext {
  book: InstanceBook;
  logger: Logger;
  idleTtlMs: number;
  loadedNow(client: LMStudioClient): Promise<LoadedModel[]>;
  describe(client: LMStudioClient, identifier: string): Promise<LoadedModel>;
}

/**
 * Reuses an instance LM Studio already has when its context is enough (never a second copy unasked); otherwise loads
 * one with Mai's idle TTL, and when instances too small were there, says so in the note and the log.
 */
export async function loadOrReuse(
  client: LMStudioClient,
  key: string,
  options: LoadOptions,
  timeoutMs: number,
  context: InstanceLoadContext,
): Promise<LoadedModel> {
  const { book, logger } = context;
  const choice = chooseLoaded(await context.loadedNow(client), key, options.contextLength);
  if (choice.reuse) {
    const owned = book.isOwned(choice.reuse.identifier);
    book.record(choice.reuse, owned);
    logger.info('reusing a loaded LM Studio instance', { key, note: choice.note });
    return { ...choice.reuse, reused: !owned, note: choice.note };
  }
  const identifier = await loadThroughSdk(client, key, options, timeoutMs, { idleTtlMs: context.idleTtlMs });
  const loaded = await context.describe(client, identifier);
  book.record(loaded, true);
  if (choice.note === null) return loaded;
  const note = `${choice.note} (${loaded.identifier})`;
  logger.warn('loaded another instance beside one already loaded', { key, note });
  return { ...loaded, note };
}

/** Loads an instance that left LM Studio again, under its identifier; Mai's own from then on (Mai unloads it). */
export async function loadAgain(
  client: LMStudioClient,
  identifier: string,
  known: KnownInstance,
  timeoutMs: number,
  context: InstanceLoadContext,
): Promise<void> {
  const extras = { idleTtlMs: context.idleTtlMs, identifier };
  await loadThroughSdk(client, known.key, { contextLength: known.contextLength }, timeoutMs, extras);
  context.book.record({ identifier, key: known.key, backend: 'lmstudio', contextLength: known.contextLength }, true);
}

/**
 * Runs `operation` and, when the instance it names has gone from LM Studio (the person ejected it, or its idle TTL
 * ran out), has it loaded again and runs it once more: the next message is answered by the same model instead of
 * falling back. Instances Mai never handed out are not loaded.
 */
export async function reloadingIfEjected<T>(
  identifier: string,
  operation: () => Promise<T>,
  context: Pick<InstanceLoadContext, 'book' | 'logger'>,
  reload: (known: KnownInstance) => Promise<void>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const known = context.book.get(identifier);
    if (!(error instanceof BackendError) || error.code !== 'not_found' || !known) throw error;
    context.logger.warn('the instance left LM Studio (ejected, or its idle TTL ran out); loading it again', {
      identifier,
      key: known.key,
    });
    await reload(known);
    return operation();
  }
}
