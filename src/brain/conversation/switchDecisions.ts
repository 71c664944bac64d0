import {
  DecisionKindSchema,
  DecisionTriggerSchema,
  type Decision,
  type DecisionKind,
  type DecisionTrigger,
} from '../../shared/contract';
import type { ConversationRecord, SwitchRecord } from './records';

/**
 * The kind of a decision stored before decisions had one, read from what those files do hold: a manual decision
 * was a pin unless its reason says it gave the choice back (pinning the loaded model also had from === to).
 */
function legacyKind(record: SwitchRecord, trigger: DecisionTrigger): DecisionKind {
  switch (trigger) {
    case 'manual':
      return /^automatic/i.test(record.reason) ? 'automatic' : 'pin';
    case 'selection':
      return 'selection';
    case 'degraded':
      return 'degraded';
    case 'failure':
      return record.to === null ? 'failure' : 'switch';
    default:
      return 'switch';
  }
}

/**
 * A conversation's stored decisions, as the contract's Decision, oldest first. A record with a trigger or kind this
 * Mai does not know (written by a newer one) is left out rather than shown wrong.
 */
export function decisionsOf(conversationId: string, records: readonly ConversationRecord[]): Decision[] {
  const decisions: Decision[] = [];
  records.forEach((record, index) => {
    if (record.type !== 'switch') return;
    const trigger = DecisionTriggerSchema.safeParse(record.trigger);
    if (!trigger.success) return;
    const kind =
      record.kind === undefined ? legacyKind(record, trigger.data) : DecisionKindSchema.safeParse(record.kind).data;
    if (kind === undefined) return;
    decisions.push({
      id: record.id ?? `${conversationId}:${index}`,
      atMs: record.atMs,
      kind,
      from: record.from,
      to: record.to,
      trigger: trigger.data,
      reason: record.reason,
      figures: record.figures ?? {},
    });
  });
  return decisions;
}
