import type { ChatMessage } from '../backends/ModelBackend';

/**
 * Tokens a chat template adds around the messages' own text. A model never sees bare messages: its template wraps
 * each in role markers and separators, and the prompt as a whole gets a BOS token and the header the answer starts
 * after. fitContext counts each message's text with the model's tokenizer and adds these on top.
 */
export interface TemplateOverhead {
  /** Role markers and separators around one message. */
  perMessageTokens: number;
  /** Once per prompt: BOS and the assistant header the answer is written after. */
  perPromptTokens: number;
}

/**
 * 8 a message: ChatML (`<|im_start|>user\n … <|im_end|>\n`) and Llama 3 (`<|start_header_id|>user<|end_header_id|>\n\n
 * … <|eot_id|>`) add about 5 tokens, Llama 2's `[INST] … [/INST]` and Mistral's about 6–8, the plain "### Human" of
 * node-llama-cpp's general wrapper about 5 with a 32k vocabulary; 8 covers them with a little to spare. A model with a
 * tiny vocabulary spends more (stories260K, 512 tokens: ~13), so measure such a model's with measureTemplateOverhead.
 */
export const defaultTemplateOverhead: TemplateOverhead = { perMessageTokens: 8, perPromptTokens: 8 };

export interface TemplateProbe {
  /** Tokens of the full prompt the model would be fed for these messages (template applied, special tokens on). */
  renderPromptTokens: (messages: readonly ChatMessage[]) => Promise<number> | number;
  /** Tokens of a bare text, as fitContext will count it. */
  countTokens: (text: string) => Promise<number> | number;
}

const probe: ChatMessage[] = [
  { role: 'system', content: 'You are Mai, a helpful companion.' },
  { role: 'user', content: 'What should I cook tonight?' },
  { role: 'assistant', content: 'How about a vegetable soup with fresh bread?' },
  { role: 'user', content: 'Sounds good. What goes in it?' },
  { role: 'assistant', content: 'Carrots, onions, celery, potatoes and a little thyme.' },
  { role: 'user', content: 'Thanks!' },
];
// The short probe is the system prompt and one question; the long one adds four messages to it.
const shortProbeLength = 2;
// A word next to a template's newline can tokenize one token differently from the same word counted alone.
const boundaryMarginTokens = 1;

/**
 * A model's overhead, measured by rendering a short and a long probe conversation through its real template: the
 * growth between them is the cost of a message, what is left of the short one the cost of the prompt itself.
 */
export async function measureTemplateOverhead(model: TemplateProbe): Promise<TemplateOverhead> {
  const overheadOf = async (messages: readonly ChatMessage[]) => {
    let contentTokens = 0;
    for (const message of messages) contentTokens += await model.countTokens(message.content);
    return (await model.renderPromptTokens(messages)) - contentTokens;
  };
  const shortOverhead = await overheadOf(probe.slice(0, shortProbeLength));
  const longOverhead = await overheadOf(probe);
  const perMessageTokens =
    Math.ceil(Math.max(0, longOverhead - shortOverhead) / (probe.length - shortProbeLength)) + boundaryMarginTokens;
  const perPromptTokens = Math.max(0, shortOverhead - shortProbeLength * perMessageTokens) + boundaryMarginTokens;
  return { perMessageTokens, perPromptTokens };
}
