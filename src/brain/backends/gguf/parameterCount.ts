/** "7B", "1.5B", "494M", "260K": the way LM Studio and model cards write sizes. */
export function formatParameterCount(count: number | null): string | null {
  if (count === null || !Number.isFinite(count) || count <= 0) return null;
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of units) {
    if (count >= scale) {
      const value = count / scale;
      // One decimal below 10 ("1.5B"), none above ("13B"), trailing ".0" dropped ("7B").
      const text = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString();
      return `${text}${suffix}`;
    }
  }
  return String(Math.round(count));
}

/**
 * The parameter count a size string stands for: "7B" → 7e9, "8x7B" → 56e9 (every expert is held in memory),
 * "494M" → 4.94e8. Null for what it cannot read.
 */
export function parseParamsString(text: string | null): number | null {
  if (!text) return null;
  const match = /^\s*(?:(\d+)\s*x\s*)?(\d+(?:\.\d+)?)\s*([KMBT])\s*$/i.exec(text);
  if (!match) return null;
  const scales: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };
  const experts = match[1] ? Number(match[1]) : 1;
  return experts * Number(match[2]) * (scales[(match[3] ?? '').toUpperCase()] ?? NaN);
}
