import type { Decision } from '../../../shared/contract';

/** One short sentence for a decision; the reason follows it. */
export function describeSwitch(decision: Decision): string {
  const to = decision.to ?? 'no model';
  if (decision.trigger === 'manual') return decision.from === decision.to ? 'Automatic choice again' : `Pinned ${to}`;
  if (decision.from === null) return `Mai chose ${to}`;
  if (decision.to === null) return `Mai unloaded ${decision.from}`;
  if (decision.from === decision.to) return `Mai kept ${to}`;
  return `Mai switched from ${decision.from} to ${to}`;
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
