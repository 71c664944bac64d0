import type { EventName, EventPayload } from '../shared/contract';
import type { ChatService } from './answer/ChatService';
import type { EventHub } from './EventHub';
import type { PullService } from './downloads';
import type { Mai } from './Mai';
import type { ResourceMonitor } from './resources/ResourceMonitor';

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;
export type EventSources = { [E in EventName]: (listener: EventListener<E>) => () => void };

/**
 * One source per event of the contract. Live state (samples, decisions) sends its latest value first, the snapshot,
 * then every update; streams (fragments, progress) send only what happens next.
 */
export function createEventSources(parts: {
  monitor: ResourceMonitor;
  mai: Mai;
  chat: ChatService;
  pulls: PullService;
  loadProgress: EventHub<EventPayload<'model.loadProgress'>>;
}): EventSources {
  const { monitor, mai, chat, pulls, loadProgress } = parts;
  return {
    'resources.sample': (listener) => {
      const latest = monitor.snapshot();
      if (latest) listener(latest);
      return monitor.subscribe(listener);
    },
    // Decisions are a log, not a state: a new subscriber gets the latest one first so it knows where things stand.
    'model.decision': (listener) => {
      const latest = mai.decisions.latest();
      if (latest) listener(latest);
      return mai.decisions.subscribe(listener);
    },
    'chat.fragment': (listener) => chat.fragments.subscribe(listener),
    'chat.restart': (listener) => chat.restarts.subscribe(listener),
    'chat.handoff': (listener) => chat.handoffs.subscribe(listener),
    'model.loadProgress': (listener) => loadProgress.subscribe(listener),
    'model.pullProgress': (listener) => pulls.events.subscribe(listener),
  };
}
