/**
 * One model's attempt at (the rest of) an answer, watched: what it writes is kept as it streams, so a failure
 * mid-answer still leaves its part for the next model, and a model that struggles (StruggleWatch) is stopped.
 * The person's cancel is theirs: it ends the attempt as the engine ends it, and nothing is handed on.
 */
import {
  BackendError,
  type ChatMessage,
  type ModelBackend,
  type RespondOptions,
  type RespondResult,
} from '../backends/ModelBackend';
import type { Clock } from '../clock';
import { StruggleWatch, type Struggle, type StruggleOptions } from './struggle';

/** The speed rule is asked once a second: a model that has stopped writing sends no fragment to be checked on. */
const speedCheckIntervalMs = 1000;

/** Thrown when Mai stopped a struggling model; what it wrote up to then is the attempt's `kept`. */
export class StruggledError extends Error {
  constructor(readonly struggle: Struggle) {
    super(struggle.reason);
    this.name = 'StruggledError';
  }
}

export interface AttemptRequest {
  backend: ModelBackend;
  identifier: string;
  messages: ChatMessage[];
  /** Budgets and sampling; the signal and the fragment listener are the attempt's own. */
  respond: Omit<RespondOptions, 'signal' | 'onFragment'>;
  /** The person's cancel. */
  signal?: AbortSignal;
  onFragment?: (text: string) => void;
  usualTokensPerSecond: number | null;
  clock: Clock;
  struggle?: Partial<StruggleOptions>;
}

export class WatchedAttempt {
  private written = '';
  private readonly stop = new AbortController();
  private readonly watch: StruggleWatch;

  constructor(private readonly request: AttemptRequest) {
    this.watch = new StruggleWatch({
      clock: request.clock,
      usualTokensPerSecond: request.usualTokensPerSecond,
      onStruggle: (struggle) => this.stop.abort(new StruggledError(struggle)),
      ...(request.struggle ? { options: request.struggle } : {}),
    });
  }

  /** Why Mai stopped the model, if it did. */
  get struggle(): Struggle | null {
    return this.watch.struggle;
  }

  /** What the model wrote that is worth keeping: all of it, or for a loop everything up to its first repeat. */
  get kept(): string {
    const struggle = this.watch.struggle;
    return struggle?.kind === 'repetition' ? this.written.slice(0, struggle.keepChars) : this.written;
  }

  /** The answer, or throws: the engine's error, or StruggledError when Mai stopped the model. */
  async run(): Promise<RespondResult> {
    const { request } = this;
    const signal = request.signal ? AbortSignal.any([request.signal, this.stop.signal]) : this.stop.signal;
    const timer = setInterval(() => this.watch.check(), speedCheckIntervalMs);
    // A pending check must not keep a CLI process alive on its own.
    timer.unref();
    try {
      const result = await request.backend.respond(request.identifier, request.messages, {
        ...request.respond,
        signal,
        onFragment: (text) => {
          // Once stopped, what the engine still sends before it stops is not part of the answer.
          if (this.stop.signal.aborted) return;
          this.written += text;
          this.watch.fragment(text);
          request.onFragment?.(text);
        },
      });
      const struggle = this.watch.struggle;
      if (request.signal?.aborted) return result;
      if (struggle) throw new StruggledError(struggle);
      if (result.stats.stopReason === 'cancelled') {
        // Ended as cancelled while nobody cancelled it: the engine lost the model under it (the embedded engine
        // unloading mid-answer reports so), which is a failure to hand on, not the person's stop.
        throw new BackendError(
          'internal',
          `the answer stopped after ${this.written.length} characters though nobody cancelled it: its model was unloaded under it`,
          request.backend.id,
        );
      }
      return result;
    } catch (error) {
      const struggle = this.watch.struggle;
      // However the engine ended a stream Mai stopped (a cancel error, a closed channel), the reason is Mai's.
      if (struggle && !request.signal?.aborted && !(error instanceof StruggledError)) {
        throw new StruggledError(struggle);
      }
      throw error;
    } finally {
      clearInterval(timer);
    }
  }
}
