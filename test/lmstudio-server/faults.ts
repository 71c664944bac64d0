import type { EngineGenerateRequest } from './engine';

/** Knobs that make the server misbehave the ways a real LM Studio (or a network) can, for adapter tests. */
export interface ServerFaults {
  /** Hold every reply of these endpoints (rpc result, or the start of a channel) for this long. */
  delayMs?: Record<string, number>;
  /** These endpoints never answer: LM Studio's behaviour for a reply the SDK cannot parse, an unknown endpoint... */
  neverAnswer?: string[];
  /**
   * The model list never arrives while the greeting and version still answer (issue 21, item 1). 'silent': no reply
   * at all. 'unreadable': a reply SDK 1.5.0 cannot parse (one model in format "pte", which later LM Studio versions
   * list); the SDK drops it with a communication warning and the call hangs just the same.
   */
  stallModelList?: 'silent' | 'unreadable';
  /** Drop the socket after streaming this many fragments of a prediction. */
  dropConnectionAfterFragments?: number;
  /**
   * A frozen LM Studio: stream this many fragments (0: none), then nothing more on that prediction: no fragment, no
   * success, no answer to a cancel. The channel stays open until the socket goes.
   */
  stallPredictAfterFragments?: number;
  /** Send fragments without `reasoningType`: the SDK drops each one and resolves with empty text (§7.1). */
  malformedFragments?: boolean;
  /**
   * A thinking model (Qwen3-style): before the engine's answer, `<think>`, `tokens` reasoning fragments, `</think>`.
   * As in LM Studio, reasoning counts against maxPredictedTokens; `llm.prediction.reasoning.budgetTokens` (newer LM
   * Studio) ends the thinking early unless `ignoreBudget` (what a 0.3-era LM Studio does with a key it does not know).
   * `thenAnswer: false` ends the prediction after the thinking (eosFound), with no answer at all.
   */
  think?: { tokens: number; thenAnswer?: boolean; ignoreBudget?: boolean };
  /**
   * Answer every prediction with this text, streamed a word at a time, instead of the engine's (which writes
   * random stories): what a UI test needs to see a known answer rendered (markdown, code, raw HTML).
   */
  scriptAnswer?: string;
  /**
   * The wait between a scripted answer's pieces (default 4 ms, ~250 tokens/s): a long one makes a model that slows
   * down mid-answer, for the handoff of a struggling model (issue 15).
   */
  scriptPieceIntervalMs?: number;
  /**
   * Told what each prediction feeds the engine (the chat turns, or for complete() the verbatim prompt): how a test
   * sees that a continuation reaches the model as the start of its own turn rather than as a finished message.
   */
  onPredict?: (input: EngineGenerateRequest['input']) => void;
  /** Refuse every client at the auth handshake with this error (as LM Studio does for a wrong passkey). */
  refuseClients?: string;
  /**
   * An LM Studio set to require API tokens: only a client whose identifier and passkey are this token's
   * (`sk-lm-<identifier>:<passkey>`, what SDK 2.0 sends for `apiToken`) is admitted.
   */
  requireApiToken?: string;
  /** Refuse every load with a channelError carrying this title (and cause/suggestion when given). */
  refuseLoad?: { title: string; cause?: string; suggestion?: string };
}
