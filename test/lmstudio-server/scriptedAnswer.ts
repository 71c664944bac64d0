import type { EngineGenerateResult } from './engine';

/** Pieces of a scripted answer as a model streams them: each word with the white space before it, one token each. */
export function answerPieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

// Fast enough for tests, slow enough that a UI renders the answer piece by piece, as it does a real model's.
const pieceIntervalMs = 4;

/**
 * Streams `text` as the prediction's answer instead of the engine's (the `scriptAnswer` fault): the test models
 * write random stories, and a UI test needs an answer it can predict (a table, a code block, raw HTML). Stops at a
 * cancel or at `maxTokens` pieces, as the engine would.
 */
export async function streamScriptedAnswer(
  text: string,
  limits: { maxTokens: number | null; signal: AbortSignal; pieceIntervalMs?: number },
  onText: (text: string, tokenCount: number) => void,
): Promise<EngineGenerateResult> {
  let predictedTokens = 0;
  for (const piece of answerPieces(text)) {
    if (limits.signal.aborted) return { stopReason: 'cancelled', promptTokens: 0, predictedTokens };
    if (limits.maxTokens !== null && predictedTokens >= limits.maxTokens) {
      return { stopReason: 'maxTokens', promptTokens: 0, predictedTokens };
    }
    onText(piece, 1);
    predictedTokens += 1;
    await new Promise((resolve) => setTimeout(resolve, limits.pieceIntervalMs ?? pieceIntervalMs));
  }
  return { stopReason: 'eos', promptTokens: 0, predictedTokens };
}
