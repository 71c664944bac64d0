import { eventNames, type EventEnvelope } from '../shared/contract';
import type { Brain } from './Brain';

/**
 * Subscribes one UI connection to every event, numbering each event name's stream from 0 so the UI can tell
 * the snapshot (seq 0) from updates and spot a gap. Both transports use this, so they number alike.
 */
export function subscribeAllEvents(brain: Brain, send: (envelope: EventEnvelope) => void): () => void {
  const unsubscribers = eventNames.map((name) => {
    let seq = 0;
    return brain.subscribe(name, (payload) => send({ name, seq: seq++, payload }));
  });
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
