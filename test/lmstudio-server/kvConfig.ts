import type { KvConfig, KvConfigStack } from './wireSchemas';

/** A collapsed config: one value per key, later layers winning (the SDK's collapseKVStackRaw, §5.4). */
export type KvValues = Map<string, unknown>;

export function collapseStack(stack: KvConfigStack, defaults: KvConfig = { fields: [] }): KvValues {
  const values: KvValues = new Map();
  for (const { key, value } of defaults.fields) values.set(key, value);
  for (const layer of stack.layers) for (const { key, value } of layer.config.fields) values.set(key, value);
  return values;
}

export function toKvConfig(values: KvValues): KvConfig {
  return { fields: [...values.entries()].map(([key, value]) => ({ key, value })) };
}

export function numberValue(values: KvValues, key: string): number | undefined {
  const value = values.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `checkboxNumeric` fields (`{checked, value}`, §5.7): the number only when the box is ticked. */
export function checkedNumber(values: KvValues, key: string): number | undefined {
  const value = values.get(key) as { checked?: unknown; value?: unknown } | undefined;
  return value?.checked === true && typeof value.value === 'number' ? value.value : undefined;
}

export function stringArray(values: KvValues, key: string): string[] {
  const value = values.get(key);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
