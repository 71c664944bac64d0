import type { ChatHistoryItem, ChatWrapper, LlamaModel, Token } from 'node-llama-cpp';
import { loadedNodeLlamaCpp } from '../lazyModules';
import type { ChatMessage } from '../ModelBackend';

/**
 * Mai's messages as node-llama-cpp's chat history. The history must end with a model turn for the engine to
 * write into: an empty one normally; when the last message is the assistant's, generation continues it (a prefill).
 * Pure.
 */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) => {
    switch (message.role) {
      case 'system':
        return { type: 'system', text: message.content };
      case 'user':
        return { type: 'user', text: message.content };
      case 'assistant':
        return { type: 'model', response: [message.content] };
    }
  });
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}

/**
 * The model's own chat template where the file has one (node-llama-cpp maps it to a built-in wrapper or runs the
 * Jinja template); otherwise a plain "### User / ### Response" wrapper, which every model can follow a little.
 * Name-based guesses are skipped on purpose: a file named "LLaMA v2" without a template is not a chat model.
 */
export function chooseChatWrapper(model: LlamaModel): ChatWrapper {
  // A LlamaModel exists only once node-llama-cpp has loaded it.
  const { GeneralChatWrapper, resolveChatWrapper } = loadedNodeLlamaCpp();
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  if (typeof template !== 'string' || template.trim() === '') return new GeneralChatWrapper();
  return resolveChatWrapper(model, { fallbackToOtherWrappersOnJinjaError: true });
}

/** The exact prompt a chat turn feeds the model: its tokens, and as text with special tokens written out. */
export function renderChatPrompt(
  model: LlamaModel,
  chatWrapper: ChatWrapper,
  messages: readonly ChatMessage[],
): { text: string; tokens: Token[] } {
  const { contextText } = chatWrapper.generateContextState({ chatHistory: toChatHistory(messages) });
  const tokens = contextText.tokenize(model.tokenizer);
  return { text: model.detokenize(tokens, true), tokens };
}
