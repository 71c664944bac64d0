import type { GgufFileInfo } from 'node-llama-cpp';
import { tensorByteSize } from './ggmlTypeSizes';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * Checks a parsed header against the file(s) it came from. node-llama-cpp's reader pads reads past the end of a
 * file with zeros instead of failing, so a cut-short file parses "successfully" with empty names or a header that
 * ends beyond the file; and a file cut inside its tensor data parses perfectly. Both are caught here.
 * `partSizesBytes[i]` is the size of part i + 1 (one entry for an unsplit file). Pure; null means no problem found.
 */
export function findIntegrityProblem(info: GgufFileInfo, partSizesBytes: readonly number[]): string | null {
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  const firstPartBytes = partSizesBytes[0] ?? 0;
  if (info.infoEndOffset !== undefined && info.infoEndOffset > firstPartBytes) {
    return (
      `the file ends inside its header (${mib(firstPartBytes)} of at least ${mib(info.infoEndOffset)}): ` +
      'it was cut short, e.g. an unfinished download'
    );
  }
  if (tensors.length === 0) return 'it holds no tensors';
  const names = new Set<string>();
  for (const tensor of tensors) {
    if (tensor.name === '' || names.has(tensor.name)) {
      return `its tensor table is damaged (${tensor.name === '' ? 'a tensor without a name' : `"${tensor.name}" twice`})`;
    }
    names.add(tensor.name);
  }
  // Where each part's tensor data must end; a type unknown to the size table counts as one byte (a lower bound).
  const neededBytesByPart = new Map<number, number>();
  for (const tensor of tensors) {
    const end = Number(tensor.fileOffset) + (tensorByteSize(tensor) ?? 1);
    neededBytesByPart.set(tensor.filePart, Math.max(neededBytesByPart.get(tensor.filePart) ?? 0, end));
  }
  for (const [part, neededBytes] of neededBytesByPart) {
    const actualBytes = partSizesBytes[part - 1];
    if (actualBytes === undefined) return `part ${part} of the split model is missing`;
    if (neededBytes > actualBytes) {
      const where = partSizesBytes.length > 1 ? `part ${part} of the split model` : 'the file';
      return (
        `${where} is truncated: its tensors need ${mib(neededBytes)} but it holds ${mib(actualBytes)} ` +
        '(an unfinished download or a bad copy?)'
      );
    }
  }
  return null;
}
