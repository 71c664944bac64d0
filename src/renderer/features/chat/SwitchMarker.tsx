import type { Decision } from '../../../shared/contract';

/** One short sentence for a decision; the reason follows it. */
export function describeSwitch(decision: Decision): string {
  const to = decision.to ?? 'no model';
  switch (decision.kind) {
    case 'pin':
      return `Pinned ${to}`;
    case 'automatic':
      return 'Automatic choice again';
    case 'failure':
      return `${decision.from ?? 'The model'} failed`;
    case 'degraded':
      return `Nothing fits well: Mai chose ${to}`;
    case 'step':
      return `Mai adjusted ${to}`;
    case 'aside':
      return decision.to === null
        ? `Mai stepped aside: unloaded ${decision.from ?? 'its model'}`
        : `Mai stepped aside to ${to}`;
    case 'selection':
    case 'switch':
      return decision.from === null ? `Mai chose ${to}` : `Mai switched from ${decision.from} to ${to}`;
  }
}

/** A quiet line between messages where Mai changed models: not a chat message, just where and why. */
export function SwitchMarker({ decision }: { decision: Decision }) {
  return (
    <li className="switch-marker" data-testid="switch-marker" title={decision.reason}>
      <span>
        {describeSwitch(decision)} · {decision.reason}
      </span>
    </li>
  );
}
