import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { GgmlType, GgufFileType, readGgufFileInfo } from 'node-llama-cpp';

/** `LLMInfo` exactly as the SDK's zod schema wants it (§5.2): ints are ints, optional fields absent, never null. */
export interface WireModelInfo {
  type: 'llm';
  modelKey: string;
  format: 'gguf';
  displayName: string;
  path: string;
  sizeBytes: number;
  paramsString?: string;
  architecture?: string;
  quantization?: { name: string; bits: number };
  vision: boolean;
  trainedForToolUse: boolean;
  maxContextLength: number;
}

export interface RegisteredModel {
  info: WireModelInfo;
  filePath: string;
}

async function ggufFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.gguf'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** "260K", "1.1B": the way LM Studio labels sizes. */
function paramsLabel(count: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, unit] of units) {
    if (count >= scale) return `${Number((count / scale).toPrecision(2))}${unit}`;
  }
  return String(count);
}

/** Bits per weight from a type name: F32 → 32, Q4_K_M → 4, IQ3_XS → 3. */
function bitsOf(name: string): number {
  const digits = /^(?:I?Q|F|BF|TQ)(\d+)/i.exec(name)?.[1];
  return digits === undefined ? 0 : Number.parseInt(digits, 10);
}

type Metadata = Record<string, unknown>;

function quantizationOf(metadata: Metadata, tensorTypes: number[]): { name: string; bits: number } | undefined {
  const fileType = (metadata.general as Metadata | undefined)?.file_type;
  let name = typeof fileType === 'number' ? GgufFileType[fileType]?.replace(/^(MOSTLY|ALL)_/, '') : undefined;
  if (name === undefined) {
    // Older converters leave file_type out; the most common tensor type says the same thing.
    const counts = new Map<number, number>();
    for (const type of tensorTypes) counts.set(type, (counts.get(type) ?? 0) + 1);
    const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    name = common === undefined ? undefined : GgmlType[common];
  }
  return name === undefined ? undefined : { name, bits: bitsOf(name) };
}

/** Describes one GGUF file as LM Studio would list it; the key is the file name, lower-cased, without ".gguf". */
export async function describeModelFile(modelsDir: string, filePath: string): Promise<RegisteredModel> {
  const ggufInfo = await readGgufFileInfo(filePath, { logWarnings: false, ignoreKeys: ['tokenizer.ggml.tokens'] });
  const metadata = ggufInfo.metadata as unknown as Metadata;
  const general = (metadata.general ?? {}) as Metadata;
  const architecture = typeof general.architecture === 'string' ? general.architecture : undefined;
  const archMetadata = (architecture ? metadata[architecture] : undefined) as Metadata | undefined;
  const contextLength = Number(archMetadata?.context_length ?? 2048);
  const tensors = ggufInfo.fullTensorInfo ?? ggufInfo.tensorInfo ?? [];
  const parameterCount = tensors.reduce((sum, t) => sum + t.dimensions.reduce<number>((n, d) => n * Number(d), 1), 0);
  const quantization = quantizationOf(
    metadata,
    tensors.map((tensor) => tensor.ggmlType),
  );
  const baseName = path.basename(filePath, path.extname(filePath));
  const info: WireModelInfo = {
    type: 'llm',
    modelKey: baseName.toLowerCase(),
    format: 'gguf',
    displayName: baseName,
    path: path.relative(modelsDir, filePath).split(path.sep).join('/'),
    sizeBytes: (await stat(filePath)).size,
    vision: false,
    trainedForToolUse: false,
    maxContextLength: Math.trunc(contextLength),
  };
  if (parameterCount > 0) info.paramsString = paramsLabel(parameterCount);
  if (architecture) info.architecture = architecture;
  if (quantization) info.quantization = quantization;
  return { info, filePath };
}

/** Every GGUF file under the models folder, as LM Studio's "downloaded models". Unreadable files are left out. */
export async function scanModels(modelsDir: string): Promise<RegisteredModel[]> {
  const described = await Promise.allSettled(
    (await ggufFiles(modelsDir)).map((file) => describeModelFile(modelsDir, file)),
  );
  return described.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
}
