/**
 * Token counts for engines whose documented API has no tokenizer (Ollama, OpenAI-compatible servers): estimated from
 * UTF-8 bytes and calibrated per model from the prompt counts the engine reports with every answer
 * (`prompt_eval_count`, `usage.prompt_tokens`). The estimate errs high: a count too low would overflow the window
 * (Ollama silently drops the start of the prompt, an OpenAI server refuses it), one too high only keeps less history.
 */

/**
 * Bytes per token before a model has answered once: 2. English runs ~4 bytes a token with Llama/Qwen tokenizers, code
 * ~3, CJK ~1.5-3 (3 bytes a character, 1-2 tokens each): 2 stays above the true count for all of them.
 */
export const defaultBytesPerToken = 2;

/**
 * The learned figure is trusted only within these bounds, and 10 % below what was seen: a prompt's count includes
 * the chat template's tokens, which short prompts feel most, and later prompts may mix scripts.
 */
const calibration = { minBytesPerToken: 1, maxBytesPerToken: 4.5, margin: 0.9 } as const;

const encoder = new TextEncoder();

export function utf8Bytes(text: string): number {
  return encoder.encode(text).length;
}

export class TokenEstimator {
  private readonly bytesPerToken = new Map<string, number>();

  /** Tokens `text` takes with this model, at least 1 for any text. */
  count(model: string, text: string): number {
    if (text === '') return 0;
    return Math.max(1, Math.ceil(utf8Bytes(text) / (this.bytesPerToken.get(model) ?? defaultBytesPerToken)));
  }

  /**
   * What an answer's figures say: `promptBytes` sent came to `promptTokens`. The lowest ratio seen wins: a prompt the
   * engine found partly in its cache reports fewer tokens than it holds (Ollama counts only what it evaluated), so a
   * later, higher ratio is not trusted over an earlier one.
   */
  observe(model: string, promptBytes: number, promptTokens: number | null): void {
    if (promptTokens === null || promptTokens <= 0 || promptBytes <= 0) return;
    const seen = (promptBytes / promptTokens) * calibration.margin;
    const bounded = Math.min(calibration.maxBytesPerToken, Math.max(calibration.minBytesPerToken, seen));
    const known = this.bytesPerToken.get(model);
    this.bytesPerToken.set(model, known === undefined ? bounded : Math.min(known, bounded));
  }
}
