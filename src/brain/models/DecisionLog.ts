import { randomUUID } from 'node:crypto';
import type { Decision } from '../../shared/contract';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { RingBuffer } from '../resources/RingBuffer';

/** The last decisions kept for status and the dashboard; older ones live in the conversation files and the log. */
export const keptDecisions = 50;

/** A decision as its maker states it; the log gives it its id and time. */
export type NewDecision = Omit<Decision, 'id' | 'atMs'>;

export interface DecisionLogDeps {
  clock: Clock;
  logger: Logger;
  /** Writes the decision into the conversation it happened in, where a UI puts its quiet marker. */
  appendToConversation?: (decision: Decision) => void;
  newId?: () => string;
}

/**
 * The one recorder of model decisions: every pin, choice, switch and failure goes through `record`, which names
 * it, logs it, appends it to the current conversation and tells whoever listens (the dashboard, tray and CLI).
 */
export class DecisionLog {
  private readonly decisions = new RingBuffer<Decision>(keptDecisions);
  private readonly listeners = new Set<(decision: Decision) => void>();

  constructor(private readonly deps: DecisionLogDeps) {}

  record(decision: NewDecision): Decision {
    const recorded: Decision = { id: (this.deps.newId ?? randomUUID)(), atMs: this.deps.clock.nowMs(), ...decision };
    this.decisions.push(recorded);
    this.deps.logger.info('model decision', recorded);
    this.deps.appendToConversation?.(recorded);
    for (const listener of this.listeners) listener(recorded);
    return recorded;
  }

  recent(): Decision[] {
    return this.decisions.toArray();
  }

  latest(): Decision | undefined {
    return this.decisions.latest();
  }

  subscribe(listener: (decision: Decision) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
