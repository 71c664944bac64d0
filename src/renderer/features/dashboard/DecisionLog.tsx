import type { DecisionTrigger } from '../../../shared/contract';
import { useModels } from '../../state/modelsStore';
import { describeSwitch } from '../chat/SwitchMarker';

/** Every trigger's word: a trigger added to the contract without one does not compile. */
const triggerLabels: Record<DecisionTrigger, string> = {
  selection: 'choice',
  manual: 'you',
  sustained_memory: 'memory',
  sustained_cpu: 'CPU',
  memory_trend: 'trend',
  failure: 'failure',
  slow_generation: 'slow',
  pressure_cleared: 'relief',
  degraded: 'degraded',
  neighbour_receded: 'room again',
};

/** Every model decision Mai took, newest first, each with its trigger and reason. */
export function DecisionLog() {
  const decisions = useModels((s) => s.decisions);
  return (
    <section className="panel decision-log" aria-label="Decisions">
      <h2>Decisions</h2>
      {decisions.length === 0 ? (
        <p className="muted">No model decisions yet.</p>
      ) : (
        <ol>
          {[...decisions].reverse().map((d) => (
            <li key={d.id} data-testid="decision">
              <time className="muted">{new Date(d.atMs).toLocaleTimeString()}</time>
              <span className={`trigger trigger-${d.trigger}`}>{triggerLabels[d.trigger]}</span>
              <span>
                {describeSwitch(d)} — <span className="muted">{d.reason}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
