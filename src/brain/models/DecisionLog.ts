import type { Decision } from '../../shared/contract';
import { RingBuffer } from '../resources/RingBuffer';

/** The last decisions kept for status and the dashboard; older ones live in the conversation files and the log. */
export const keptDecisions = 50;

/** Every model decision, in order, told to whoever listens (the dashboard, the tray, the CLI). */
export class DecisionLog {
  private readonly decisions = new RingBuffer<Decision>(keptDecisions);
  private readonly listeners = new Set<(decision: Decision) => void>();

  record(decision: Decision): Decision {
    this.decisions.push(decision);
    for (const listener of this.listeners) listener(decision);
    return decision;
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
