import { create } from 'zustand';
import type {
  ChatMessageView,
  ChatResultView,
  ConversationSummaryView,
  Decision,
  ModelRef,
} from '../../shared/contract';
import type { ChatProblem } from '../features/chat/chatProblem';

export type ConversationSummary = ConversationSummaryView;

/** Where a model stopped mid-answer and the next went on: `atChars` into the streamed text. */
export interface StreamingHandoff {
  atChars: number;
  from: ModelRef;
  reason: string;
}

/**
 * The answer being written: fragments appended as they arrive, reset when the brain restarts it on a fallback, and
 * kept (up to where the brain kept it) when a model hands it to the next one, which continues it.
 */
export interface StreamingAnswer {
  text: string;
  restartReason: string | null;
  handoffs: StreamingHandoff[];
}

const freshAnswer = (): StreamingAnswer => ({ text: '', restartReason: null, handoffs: [] });

export interface ChatState {
  conversations: ConversationSummary[];
  currentId: string | null;
  messages: ChatMessageView[];
  /** Decisions taken in this conversation: the quiet markers between messages. */
  switches: Decision[];
  streaming: StreamingAnswer | null;
  problem: ChatProblem | null;
  /** The conversation just deleted, while its undo is offered. */
  deleted: ConversationSummary | null;
  setConversations(conversations: ConversationSummary[]): void;
  openConversation(id: string, messages: ChatMessageView[], switches: Decision[]): void;
  /** Leaves the current conversation (it was deleted): an empty chat until the next message or open. */
  closeConversation(): void;
  setDeleted(deleted: ConversationSummary | null): void;
  startAnswer(userText: string, atMs: number): void;
  /** Another answer to the last question: the answer after it goes (the brain supersedes it on disk). */
  startRegenerate(): void;
  /** An edited question: it and everything after it go, the edited text follows, and its answer streams. */
  startEdit(messageId: string, text: string, atMs: number): void;
  addFragment(conversationId: string, text: string): void;
  restartAnswer(conversationId: string, reason: string): void;
  /** A model stopped mid-answer: the text is what the brain kept of it (a loop's repeats taken out). */
  handOffAnswer(conversationId: string, text: string, from: ModelRef, reason: string): void;
  finishAnswer(result: ChatResultView, atMs: number): void;
  failAnswer(problem: ChatProblem | null): void;
  addSwitch(decision: Decision): void;
  setProblem(problem: ChatProblem | null): void;
}

let localId = 0;

const matches = (state: ChatState, conversationId: string) =>
  state.streaming !== null && (state.currentId === null || state.currentId === conversationId);

export const useChat = create<ChatState>()((set) => ({
  conversations: [],
  currentId: null,
  messages: [],
  switches: [],
  streaming: null,
  problem: null,
  deleted: null,
  setConversations: (conversations) => set({ conversations }),
  openConversation: (id, messages, switches) =>
    set({ currentId: id, messages, switches, streaming: null, problem: null }),
  closeConversation: () => set({ currentId: null, messages: [], switches: [], streaming: null, problem: null }),
  setDeleted: (deleted) => set({ deleted }),
  startAnswer: (userText, atMs) =>
    set((state) => ({
      messages: [...state.messages, { id: `local-${++localId}`, role: 'user', content: userText, atMs }],
      streaming: freshAnswer(),
      problem: null,
    })),
  startRegenerate: () =>
    set((state) => ({
      messages: state.messages.slice(0, state.messages.findLastIndex((m) => m.role === 'user') + 1),
      streaming: freshAnswer(),
      problem: null,
    })),
  startEdit: (messageId, text, atMs) =>
    set((state) => {
      const at = state.messages.findIndex((m) => m.id === messageId);
      const kept = at < 0 ? state.messages : state.messages.slice(0, at);
      return {
        messages: [...kept, { id: `local-${++localId}`, role: 'user', content: text, atMs }],
        streaming: freshAnswer(),
        problem: null,
      };
    }),
  addFragment: (conversationId, text) =>
    set((state) =>
      matches(state, conversationId) && state.streaming
        ? { streaming: { ...state.streaming, text: state.streaming.text + text } }
        : {},
    ),
  restartAnswer: (conversationId, reason) =>
    set((state) => (matches(state, conversationId) ? { streaming: { ...freshAnswer(), restartReason: reason } } : {})),
  handOffAnswer: (conversationId, text, from, reason) =>
    set((state) =>
      matches(state, conversationId) && state.streaming
        ? {
            streaming: {
              ...state.streaming,
              text,
              handoffs: [...state.streaming.handoffs, { atChars: text.length, from, reason }],
            },
          }
        : {},
    ),
  finishAnswer: (result, atMs) =>
    set((state) => ({
      currentId: result.conversationId,
      streaming: null,
      messages: [
        ...withStoredQuestionId(state.messages, result.userMessageId),
        {
          id: result.messageId ?? `local-${++localId}`,
          role: 'assistant',
          content: result.text,
          atMs,
          model: result.model,
          stats: result.stats,
          ...(result.segments && result.segments.length > 1 ? { segments: result.segments } : {}),
        },
      ],
      switches: mergeSwitches(state.switches, result.switches),
    })),
  failAnswer: (problem) => set({ streaming: null, problem }),
  addSwitch: (decision) => set((state) => ({ switches: mergeSwitches(state.switches, [decision]) })),
  setProblem: (problem) => set({ problem }),
}));

/**
 * The question's local id replaced by the one the brain stored it under, so it can be edited; only the question
 * changes (one row renders again, once per answer, not per fragment).
 */
function withStoredQuestionId(messages: ChatMessageView[], storedId: string | undefined): ChatMessageView[] {
  const at = messages.findLastIndex((m) => m.role === 'user');
  const question = messages[at];
  if (!storedId || !question || question.id === storedId) return messages;
  return messages.with(at, { ...question, id: storedId });
}

/** The same decision can arrive as an event and again in the chat result; keep one of each. */
export function mergeSwitches(existing: Decision[], added: Decision[]): Decision[] {
  const key = (d: Decision) => d.id;
  const seen = new Set(existing.map(key));
  const merged = [...existing];
  for (const decision of added) {
    if (!seen.has(key(decision))) {
      seen.add(key(decision));
      merged.push(decision);
    }
  }
  return merged.sort((a, b) => a.atMs - b.atMs);
}
