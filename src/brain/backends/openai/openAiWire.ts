/**
 * An OpenAI-compatible server's replies (OpenAI's API reference: the model list, chat completion chunks, error
 * objects), with the extras llama.cpp's and vLLM's servers add where they say more: only the fields Mai reads.
 */
import { z } from 'zod';

/** `GET /v1/models`. llama.cpp adds `meta` (trained window, parameters, file size); vLLM adds `max_model_len`. */
export const ModelsSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      max_model_len: z.number().optional(),
      meta: z
        .object({ n_ctx_train: z.number().optional(), n_params: z.number().optional(), size: z.number().optional() })
        .nullable()
        .optional(),
    }),
  ),
});
export type OpenAiModel = z.infer<typeof ModelsSchema>['data'][number];

/**
 * One `chat.completion.chunk`. Reasoning arrives as `reasoning_content` (llama.cpp, vLLM, DeepSeek) or `reasoning`
 * (others); `usage` comes on the last chunk, with no choices, when `stream_options.include_usage` asked for it.
 */
export const ChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z
          .object({
            content: z.string().nullable().optional(),
            reasoning_content: z.string().nullable().optional(),
            reasoning: z.string().nullable().optional(),
          })
          .optional(),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .optional(),
  usage: z
    .object({ prompt_tokens: z.number().optional(), completion_tokens: z.number().optional() })
    .nullable()
    .optional(),
});

/** A failure some servers (llama.cpp's) send as an event mid-stream. */
export const StreamErrorSchema = z.object({
  error: z.union([z.string(), z.object({ message: z.string().optional() }).passthrough()]),
});
