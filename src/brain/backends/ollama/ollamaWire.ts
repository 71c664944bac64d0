/**
 * Ollama's replies as its API documents them (docs/api.md; the Go structs in api/types.go): only the fields Mai
 * reads, each as optional as Ollama's `omitempty` makes it. Unknown fields are ignored, so a newer Ollama that adds
 * some still reads.
 */
import { z } from 'zod';

export const VersionSchema = z.object({ version: z.string() });

const DetailsSchema = z
  .object({
    format: z.string().optional(),
    family: z.string().optional(),
    families: z.array(z.string()).nullable().optional(),
    parameter_size: z.string().optional(),
    quantization_level: z.string().optional(),
  })
  .optional();

/** `GET /api/tags`: the models Ollama has. */
export const TagsSchema = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      model: z.string().optional(),
      size: z.number(),
      digest: z.string().optional(),
      details: DetailsSchema,
    }),
  ),
});
export type OllamaTag = z.infer<typeof TagsSchema>['models'][number];

/** `POST /api/show`: the model's GGUF facts (`model_info`, dotted keys) and what it can do (`capabilities`). */
export const ShowSchema = z.object({
  details: DetailsSchema,
  model_info: z.record(z.string(), z.unknown()).nullable().optional(),
  capabilities: z.array(z.string()).nullable().optional(),
});
export type OllamaShow = z.infer<typeof ShowSchema>;

/** `GET /api/ps`: loaded models with the memory they really take (`size` in all, `size_vram` of it on a GPU). */
export const PsSchema = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      model: z.string().optional(),
      size: z.number(),
      size_vram: z.number().optional(),
      /** Newer Ollama reports the window it loaded the model with; 0 or absent on older ones. */
      context_length: z.number().optional(),
    }),
  ),
});
export type OllamaRunning = z.infer<typeof PsSchema>['models'][number];

/** One line of `POST /api/chat`'s stream; the last has `done: true`, the reason and the counts. */
export const ChatLineSchema = z.union([
  z.object({ error: z.string() }),
  z.object({
    model: z.string().optional(),
    message: z.object({ content: z.string().optional(), thinking: z.string().optional() }).optional(),
    done: z.boolean(),
    done_reason: z.string().optional(),
    prompt_eval_count: z.number().optional(),
    eval_count: z.number().optional(),
    /** Nanoseconds, as every Ollama duration. */
    eval_duration: z.number().optional(),
  }),
]);
export type OllamaChatLine = z.infer<typeof ChatLineSchema>;

/** The answer to a load or unload (an empty chat): `done_reason` says which happened. */
export const LoadReplySchema = z.object({ done: z.boolean(), done_reason: z.string().optional() });
