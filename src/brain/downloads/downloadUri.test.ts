import { describe, expect, it } from 'vitest';
import { looksLikeUri, resolveDownloadUri } from './downloadUri';

describe('resolveDownloadUri', () => {
  it.each([
    [
      'hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
      'https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
      'Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    ],
    ['hf:o/r/sub/dir/m.gguf#v1.0', 'https://huggingface.co/o/r/resolve/v1.0/sub/dir/m.gguf', 'm.gguf'],
    ['https://example.org/a/b/M-Q8_0.gguf?download=1', 'https://example.org/a/b/M-Q8_0.gguf?download=1', 'M-Q8_0.gguf'],
  ])('%s → %s', (uri, url, fileName) => {
    expect(resolveDownloadUri(uri)).toEqual({ url, fileName });
  });

  it('uses a mirror endpoint for hf: URIs', () => {
    expect(resolveDownloadUri('hf:o/r/m.gguf', 'http://127.0.0.1:9/').url).toBe(
      'http://127.0.0.1:9/o/r/resolve/main/m.gguf',
    );
  });

  it.each([
    ['hf:o/m.gguf', /is not a Hugging Face file URI: write hf:<owner>\/<repo>\/<file>\.gguf/],
    ['not a uri at all', /neither a model key with a download nor a URI/],
    ['file:///tmp/m.gguf', /Mai downloads over http\(s\)/],
    ['https://example.org/model.bin', /does not name a \.gguf file/],
  ])('refuses %s, saying why', (uri, message) => {
    expect(() => resolveDownloadUri(uri)).toThrow(message);
  });

  it('tells URIs from model keys', () => {
    expect(['hf:o/r/m.gguf', 'https://x/m.gguf', 'ftp://x/m.gguf'].map(looksLikeUri)).toEqual([true, true, true]);
    expect(['qwen/qwen3-4b', 'llama-3.2-1b-instruct', 'stories260K'].map(looksLikeUri)).toEqual([false, false, false]);
  });
});
