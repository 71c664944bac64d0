/**
 * What the LM Studio-compatible server needs from a real llama.cpp engine: load with progress and cancel, the model's
 * own tokenizer and chat formatting, and token-by-token generation. The server maps these to the wire; an engine
 * never sees a protocol frame.
 */

export type EngineChatRole = 'system' | 'user' | 'assistant';

export interface EngineLoadRequest {
  filePath: string;
  contextLength: number;
  onProgress(fraction: number): void;
  signal: AbortSignal;
}

export interface EngineGenerateRequest {
  /** Chat turns formatted with the model's chat template, or (complete()) a prompt fed verbatim. */
  input: { kind: 'chat'; messages: { role: EngineChatRole; content: string }[] } | { kind: 'raw'; prompt: string };
  /** null: until end of sequence or a full context. */
  maxTokens: number | null;
  temperature: number;
  seed: number | undefined;
  stopStrings: string[];
  signal: AbortSignal;
  onPromptProgress(fraction: number): void;
  /** Each piece of generated text as it is decoded, with the number of tokens it came from. */
  onText(text: string, tokenCount: number): void;
}

export type EngineStopReason = 'eos' | 'maxTokens' | 'stopString' | 'contextFull' | 'cancelled';

export interface EngineGenerateResult {
  stopReason: EngineStopReason;
  promptTokens: number;
  predictedTokens: number;
}

export interface EngineModel {
  readonly contextLength: number;
  tokenize(text: string): Promise<number[]>;
  /** With the model's own tokenizer: what `countTokens` answers. */
  countTokens(text: string): Promise<number>;
  /** The prompt the chat template makes of these turns, ready for the assistant's answer. */
  formatChat(messages: { role: EngineChatRole; content: string }[]): Promise<string>;
  generate(request: EngineGenerateRequest): Promise<EngineGenerateResult>;
  unload(): Promise<void>;
}

export interface Engine {
  load(request: EngineLoadRequest): Promise<EngineModel>;
  /** Frees what the engine still holds (the server unloads its instances first). */
  close(): Promise<void>;
}
