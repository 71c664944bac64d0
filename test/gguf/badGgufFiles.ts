import { readFileSync, writeFileSync } from 'node:fs';

/** "GGUF", version 3, then `bytes` of seeded noise: a file that looks like GGUF until its first length field. */
export function writeCorruptGguf(path: string, seed = 1, bytes = 4096): void {
  const noise = Buffer.alloc(bytes);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < bytes; index += 1) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0; // an LCG: the same seed writes the same file
    noise[index] = state >>> 24;
  }
  const header = Buffer.alloc(8);
  header.write('GGUF', 0, 'ascii');
  header.writeUInt32LE(3, 4);
  writeFileSync(path, Buffer.concat([header, noise]));
}

/** The first `fraction` of a real GGUF file, as an interrupted download leaves it. */
export function writeTruncatedCopy(sourcePath: string, path: string, fraction = 0.5): void {
  const content = readFileSync(sourcePath);
  writeFileSync(path, content.subarray(0, Math.floor(content.length * fraction)));
}
