/**
 * The text of message `index` written by `tag`: deterministic, so a reader can check every byte came back, and
 * varied in size (a few bytes to ~64 KiB, several pages) with multi-byte characters, so a torn or interleaved
 * write would show as a broken line or a wrong character.
 */
export function writerContent(tag: string, index: number): string {
  // A fixed pseudo-random walk over sizes: small, medium and the occasional large record.
  const sizes = [12, 180, 2_000, 40, 9_000, 65_000, 700, 5];
  const size = sizes[(index * 7 + tag.length) % sizes.length] ?? 12;
  const unit = `${tag}:${index} héllo 🌙 — `;
  // Sliced by code point, so the moon emoji is never cut in half.
  return `${tag}#${index} ` + [...unit.repeat(Math.ceil(size / unit.length))].slice(0, size).join('');
}
