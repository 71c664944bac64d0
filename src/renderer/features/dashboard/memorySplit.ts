/** One part of the machine's memory, as the stacked bar draws it. */
export interface MemorySegment {
  key: 'model' | 'mai' | 'other' | 'free';
  label: string;
  bytes: number;
}

export interface MemoryFigures {
  totalBytes: number;
  availableBytes: number;
  /** Mai's own process (the embedded engine runs inside it, so its model is counted here until split out). */
  maiBytes: number;
  /**
   * The model's own share, as the brain's sample reports it (memory.modelBytes): taken out of Mai's figure for the
   * embedded engine, out of the other programs' for LM Studio's. Absent (no model, an older brain): the bar then
   * shows Mai / other programs / free.
   */
  modelBytes?: number;
  /** Where the model lives: inside Mai (embedded) or in another program (LM Studio). */
  modelIn?: 'mai' | 'other';
}

/**
 * The memory split as segments that add up to the total (pure): used memory is total minus available, Mai's part
 * of it is its process, the rest is other programs; a model figure, when known, is carved out of its host's part.
 * Rounding in the kernel's figures can make Mai look larger than all used memory; parts never go below zero.
 */
export function memorySplit(figures: MemoryFigures): MemorySegment[] {
  const total = Math.max(0, figures.totalBytes);
  const free = Math.min(total, Math.max(0, figures.availableBytes));
  const used = total - free;
  let mai = Math.min(used, Math.max(0, figures.maiBytes));
  let other = used - mai;
  const model = Math.max(0, figures.modelBytes ?? 0);
  const segments: MemorySegment[] = [];
  if (figures.modelBytes !== undefined) {
    const inMai = (figures.modelIn ?? 'mai') === 'mai';
    const carved = Math.min(model, inMai ? mai : other);
    if (inMai) mai -= carved;
    else other -= carved;
    segments.push({ key: 'model', label: 'Model', bytes: carved });
  }
  segments.push(
    { key: 'mai', label: 'Mai', bytes: mai },
    { key: 'other', label: 'Other programs', bytes: other },
    { key: 'free', label: 'Free', bytes: free },
  );
  return segments;
}
