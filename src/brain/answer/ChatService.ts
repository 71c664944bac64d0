import type { EventPayload } from '../../shared/contract';
import { EventHub } from '../EventHub';
import type { Mai } from '../Mai';
import { RequestError } from '../requests/RequestError';
import type { ChatOptions, ChatResult } from './AnswerPipeline';
import type { Turn } from './turn';

export type ChatAnswer = ChatResult & { conversationId: string };

/**
 * The chat as every host sees it: one answer at a time (as a person writes), streamed to `chat.fragment`
 * listeners and the caller alike, cancellable by `chat.cancel` from any UI.
 */
export class ChatService {
  readonly fragments = new EventHub<EventPayload<'chat.fragment'>>();
  readonly restarts = new EventHub<EventPayload<'chat.restart'>>();
  readonly handoffs = new EventHub<EventPayload<'chat.handoff'>>();
  private answering: AbortController | null = null;

  constructor(private readonly mai: Mai) {}

  chat(text: string, options: ChatOptions = {}): Promise<ChatAnswer> {
    return this.answer({ kind: 'send', text }, options);
  }

  /** Answers a turn: a new message, a regeneration, an edit (turn.ts); one at a time, like `chat`. */
  async answer(turn: Turn, options: ChatOptions = {}): Promise<ChatAnswer> {
    if (this.answering) {
      throw new RequestError(
        'unavailable',
        'an answer is already being written; cancel it (chat.cancel) or wait',
        'busy',
      );
    }
    const controller = new AbortController();
    this.answering = controller;
    options.signal?.addEventListener('abort', () => controller.abort(options.signal?.reason));
    const conversationId = this.mai.conversation.ensure();
    try {
      const result = await this.mai.answerTurn(turn, {
        signal: controller.signal,
        onFragment: (fragment) => {
          this.fragments.emit({ conversationId, text: fragment });
          options.onFragment?.(fragment);
        },
        onRestart: (reason) => {
          this.restarts.emit({ conversationId, reason });
          options.onRestart?.(reason);
        },
        onHandoff: (handoff) => {
          this.handoffs.emit({ conversationId, ...handoff });
          options.onHandoff?.(handoff);
        },
      });
      return { ...result, conversationId };
    } catch (error) {
      // However the engine ended it, a stopped answer reaches UIs as one thing they need not show as a problem.
      if (controller.signal.aborted) {
        throw new RequestError('unavailable', 'the answer was cancelled', 'cancelled');
      }
      throw error;
    } finally {
      this.answering = null;
    }
  }

  /** Stops the answer in progress; false when there was none. */
  cancel(): boolean {
    const answering = this.answering;
    answering?.abort(new Error('cancelled by request'));
    return answering !== null;
  }
}
