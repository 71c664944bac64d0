/** The bench's table and summary for a person (`--json` prints the cases instead). */
import type { LoadFigures } from './figures';
import { figuresExplained } from './figures';

export interface BenchCase {
  model: string;
  paramsCount: number;
  fileBytes: number;
  contextTokens: number;
  mmap: boolean;
  /** Mai's estimate as selection gets it (through the engine where it can read the file). */
  estimateRamBytes: number;
  estimateMethod: string;
  /** Mai's fallback from GGUF metadata alone (no engine). */
  formulaEstimateRamBytes: number;
  /** The working set (see figures.ts): what estimates are held to. */
  measuredRamBytes: number;
  /** node-llama-cpp's own GgufInsights figure. */
  engineEstimateRamBytes: number;
  errorPercent: number;
  figures: LoadFigures;
}

const mib = 2 ** 20;
/** The target: max(5 %, 128 MiB) of the measured figure, for models of 1B parameters and more. */
export const targetFraction = 0.05;
export const targetFloorBytes = 128 * mib;

export function withinTarget(c: Pick<BenchCase, 'estimateRamBytes' | 'measuredRamBytes'>): boolean {
  const error = Math.abs(c.estimateRamBytes - c.measuredRamBytes);
  return error <= Math.max(targetFraction * c.measuredRamBytes, targetFloorBytes);
}

const fmt = (bytes: number | null) => (bytes === null ? '-' : (bytes / mib).toFixed(0)).padStart(7);
const pct = (estimate: number, measured: number) =>
  `${(((estimate - measured) / measured) * 100).toFixed(1)}%`.padStart(7);

export function printHeader(): void {
  console.log(
    'model                     ctx mmap | workset  avail↓     rss     pss  (MiB) |   Mai     err | formula   err |' +
      ' node-llama-cpp  err',
  );
}

export function printCaseLine(c: BenchCase): void {
  const f = c.figures;
  console.log(
    `${c.model.padEnd(22)} ${String(c.contextTokens).padStart(6)} ${c.mmap ? ' on ' : ' off'} |` +
      `${fmt(f.workingSetBytes)} ${fmt(f.memAvailableFallBytes)} ${fmt(f.rssBytes)} ${fmt(f.pssBytes)}       |` +
      `${fmt(c.estimateRamBytes)} ${pct(c.estimateRamBytes, c.measuredRamBytes)} |` +
      `${fmt(c.formulaEstimateRamBytes)} ${pct(c.formulaEstimateRamBytes, c.measuredRamBytes)} |` +
      `${fmt(c.engineEstimateRamBytes)}        ${pct(c.engineEstimateRamBytes, c.measuredRamBytes)}`,
  );
}

export function printSummary(cases: readonly BenchCase[]): void {
  const large = cases.filter((c) => c.paramsCount >= 1e9);
  const worst = (pick: (c: BenchCase) => number) =>
    large.reduce((max, c) => Math.max(max, Math.abs(pick(c) - c.measuredRamBytes) / c.measuredRamBytes), 0);
  console.log(
    `\n≥ 1B parameters: ${large.filter(withinTarget).length} of ${large.length} cases within max(5 %, 128 MiB); ` +
      `worst |error|: Mai ${(worst((c) => c.estimateRamBytes) * 100).toFixed(1)} %, ` +
      `formula ${(worst((c) => c.formulaEstimateRamBytes) * 100).toFixed(1)} %, ` +
      `node-llama-cpp ${(worst((c) => c.engineEstimateRamBytes) * 100).toFixed(1)} %`,
  );
  for (const line of figuresExplained) console.log(`- ${line}`);
}
