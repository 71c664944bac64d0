/** Which model wrote an answer (and through which backend). */
export function ModelBadge({ modelKey, backend }: { modelKey: string; backend: string }) {
  return (
    <span className="model-badge" data-testid="model-badge" title={`${modelKey} via ${backend}`}>
      {modelKey}
    </span>
  );
}
