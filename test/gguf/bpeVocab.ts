/**
 * A byte-level BPE vocabulary (tokenizer.ggml.model "gpt2") of a published size, for synthetic models of real
 * shape. The token and merge counts are what make the engine's vocabulary tables (and the token embedding and
 * output matrices) as large as the real model's; the tokens themselves are made up, so text tokenizes poorly.
 */
export interface BpeVocab {
  tokens: string[];
  /** llama.cpp's token attributes: 1 normal, 3 control. */
  tokenTypes: number[];
  merges: string[];
  bosId: number;
  eosId: number;
}

export interface BpeVocabShape {
  /** Tokens learned by BPE (the 256 byte tokens included); the special tokens come after them. */
  regularTokens: number;
  /** Special (control) tokens by name at the end, in order; `totalTokens` pads with reserved ones. */
  specialTokens: readonly string[];
  totalTokens: number;
  mergeCount: number;
  /** Indexes into the special tokens. */
  bosSpecial: number;
  eosSpecial: number;
}

/**
 * GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others for U+0100 onwards. llama.cpp looks
 * every byte up through this mapping (e.g. "\n" as "Ċ"), so all 256 must be tokens.
 */
export function byteLevelAlphabet(): string[] {
  const printable = (byte: number) =>
    (byte >= 0x21 && byte <= 0x7e) || (byte >= 0xa1 && byte <= 0xac) || (byte >= 0xae && byte <= 0xff);
  const alphabet: string[] = [];
  let extra = 0;
  for (let byte = 0; byte < 256; byte += 1) {
    alphabet.push(String.fromCodePoint(printable(byte) ? byte : 0x100 + extra++));
  }
  return alphabet;
}

export function makeBpeVocab(shape: BpeVocabShape): BpeVocab {
  const alphabet = byteLevelAlphabet();
  const tokens = [...alphabet];
  const known = new Set(tokens);
  const merges: string[] = [];
  // Each new token is an earlier token plus one byte, and its merge is that pair; BPE's own shape, in miniature.
  for (let left = 0; tokens.length < shape.regularTokens; left += 1) {
    const prefix = tokens[left] ?? '';
    for (let step = 0; step < alphabet.length && tokens.length < shape.regularTokens; step += 1) {
      const suffix = alphabet[(left * 37 + step * 101) % alphabet.length] ?? '';
      const token = prefix + suffix;
      if (known.has(token)) continue;
      known.add(token);
      tokens.push(token);
      merges.push(`${prefix} ${suffix}`);
    }
  }
  // Real vocabularies list more merges than tokens (some pairs merge into pieces that are not tokens).
  for (let index = 0; merges.length < shape.mergeCount; index += 1) {
    const left = tokens[256 + (index % (tokens.length - 256))] ?? '';
    merges.push(`${left} ${tokens[256 + ((index * 7) % (tokens.length - 256))] ?? ''}`);
  }
  merges.length = shape.mergeCount;
  const regular = tokens.length;
  tokens.push(...shape.specialTokens);
  for (let index = 0; tokens.length < shape.totalTokens; index += 1) tokens.push(`<|reserved_special_${index}|>`);
  const tokenTypes = tokens.map((_, id) => (id < regular ? 1 : 3));
  return {
    tokens,
    tokenTypes,
    merges,
    bosId: regular + shape.bosSpecial,
    eosId: regular + shape.eosSpecial,
  };
}
