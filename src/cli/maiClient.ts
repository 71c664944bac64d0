import type { Brain, BrainDeps } from '../brain';
import type { ChatOptions } from '../brain/Mai';
import { findRunningInstance } from '../server/instanceFile';
import type {
  ChatResultView,
  ContractError,
  EventName,
  EventPayload,
  Invoke,
  Request,
  RequestName,
  ResponseValue,
} from '../shared/contract';
import { CliError } from './exitCodes';

/**
 * What a CLI command talks to: a running Mai (the tray app or `mai serve`, found through instance.json), or a brain
 * of its own when none runs. Both answer the same contract, so every command is written once (DESIGN §4).
 */
export interface MaiClient {
  /** Where the answers come from, for messages: the running Mai's pid, or null for this process's own brain. */
  readonly attachedPid: number | null;
  invoke: Invoke;
  subscribe<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Answers one message in the current conversation, streaming it through `onFragment`; `signal` cancels it. */
  chat(text: string, options?: ChatOptions): Promise<ChatResultView>;
  close(): Promise<void>;
}

/** A contract error thrown at a CLI command: its message is for a person, its detail for the command's logic. */
export class RequestFailed extends CliError {
  constructor(readonly error: ContractError) {
    super(error.message);
  }
}

/** The value of a request, or a RequestFailed naming why not. */
export async function ask<N extends RequestName>(
  client: { invoke: Invoke },
  request: Request<N>,
): Promise<ResponseValue<N>> {
  const result = await client.invoke(request);
  if (!result.ok) throw new RequestFailed(result.error);
  return result.value;
}

/** The local brain as a client: started here, shut down on close. */
export async function localClient(brain: Brain): Promise<MaiClient> {
  await brain.start();
  return {
    attachedPid: null,
    invoke: (request) => brain.invoke(request),
    subscribe: (name, listener) => brain.subscribe(name, listener),
    chat: (text, options) => brain.chat(text, options),
    close: () => brain.shutdown(),
  };
}

export interface ConnectOptions {
  maiHome: string;
  /** For the brain of its own, when no Mai runs. */
  brainDeps?: BrainDeps;
  /** Called with the local brain before it starts (to follow its load progress, say). */
  beforeStart?: (brain: Brain) => void;
}

/**
 * Attaches to the running Mai when there is one, else starts a brain in this process. Each side is loaded only
 * when taken: attaching never loads the brain (its engines and samplers), which is what keeps it fast.
 */
export async function connectMai(options: ConnectOptions): Promise<MaiClient> {
  const instance = await findRunningInstance(options.maiHome);
  if (instance) return (await import('./remoteMai')).connectRemoteMai(instance);
  const { createBrain } = await import('../brain');
  const brain = createBrain({ maiHome: options.maiHome, ...options.brainDeps });
  options.beforeStart?.(brain);
  return localClient(brain);
}
