import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { scanModels } from '../lmstudio-server/modelRegistry';

/**
 * The models an Ollama-compatible server offers: every GGUF file of the models folder, named as `ollama create` would
 * name it (`<file name, lower-cased>:latest`), described from its own header the way Ollama's /api/tags and
 * /api/show describe a model (docs/api.md, api/types.go).
 */
export interface OllamaModel {
  /** `stories260k:latest`: Ollama's `model:tag`, the tag defaulting to "latest". */
  name: string;
  filePath: string;
  sizeBytes: number;
  /** sha256 of the file: Ollama's digest names the model's content. */
  digest: string;
  modifiedAt: string;
  details: {
    parent_model: string;
    format: 'gguf';
    family: string;
    families: string[];
    parameter_size: string;
    quantization_level: string;
  };
  /** The GGUF header's key-value pairs, dotted, as /api/show's `model_info` (token lists empty, as without verbose). */
  modelInfo: Record<string, unknown>;
  contextLength: number;
  /** KV cache bytes per token of context (f16 K and V over every layer): what /api/ps's `size` grows by. */
  kvBytesPerToken: number;
}

type Metadata = Record<string, unknown>;

/** `{ llama: { attention: { head_count: 8 } } }` → `{ "llama.attention.head_count": 8 }`. */
function flatten(value: Metadata, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, entry] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof entry === 'bigint') into[name] = Number(entry);
    // Ollama leaves the tokenizer's long lists empty unless `verbose` is asked for.
    else if (Array.isArray(entry)) into[name] = name.startsWith('tokenizer.') ? [] : entry;
    else if (entry !== null && typeof entry === 'object') flatten(entry as Metadata, name, into);
    else into[name] = entry;
  }
  return into;
}

const numberAt = (info: Record<string, unknown>, key: string, fallback: number) => {
  const value = info[key];
  return typeof value === 'number' ? value : fallback;
};

export async function scanOllamaModels(modelsDir: string): Promise<OllamaModel[]> {
  const registered = await scanModels(modelsDir);
  return Promise.all(
    registered.map(async ({ info, filePath }) => {
      const gguf = await readGgufFileInfo(filePath, { logWarnings: false });
      const modelInfo = flatten(gguf.metadata as unknown as Metadata);
      const architecture = info.architecture ?? 'llama';
      const tensors = gguf.fullTensorInfo ?? gguf.tensorInfo ?? [];
      // Ollama always reports a parameter count, counting tensors where the header has none.
      modelInfo['general.parameter_count'] ??= tensors.reduce(
        (sum, t) => sum + t.dimensions.reduce<number>((n, d) => n * Number(d), 1),
        0,
      );
      const layers = numberAt(modelInfo, `${architecture}.block_count`, 1);
      const embedding = numberAt(modelInfo, `${architecture}.embedding_length`, 0);
      const heads = numberAt(modelInfo, `${architecture}.attention.head_count`, 1);
      const kvHeads = numberAt(modelInfo, `${architecture}.attention.head_count_kv`, heads);
      const file = await stat(filePath);
      return {
        name: `${path.basename(filePath, path.extname(filePath)).toLowerCase()}:latest`,
        filePath,
        sizeBytes: file.size,
        digest: createHash('sha256')
          .update(await readFile(filePath))
          .digest('hex'),
        modifiedAt: file.mtime.toISOString(),
        details: {
          parent_model: '',
          format: 'gguf',
          family: architecture,
          families: [architecture],
          parameter_size: info.paramsString ?? '',
          quantization_level: info.quantization?.name ?? '',
        },
        modelInfo,
        contextLength: info.maxContextLength,
        kvBytesPerToken: 2 * layers * kvHeads * (embedding / heads) * 2,
      };
    }),
  );
}

/** Finds a model the way Ollama resolves a name: the tag defaults to "latest", case does not matter. */
export function findOllamaModel(models: readonly OllamaModel[], name: string): OllamaModel | undefined {
  const wanted = (name.includes(':') ? name : `${name}:latest`).toLowerCase();
  return models.find((model) => model.name === wanted);
}
