import { closeSync, openSync, writeSync } from 'node:fs';
import { blockLayouts, type BlockTypeName } from './ggmlBlocks';

/** A metadata value with its GGUF type (the GGUF v3 spec's value types). */
export type GgufValue =
  | { type: 'u32' | 'i32' | 'f32' | 'u64'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; itemType: 'string'; values: readonly string[] }
  | { type: 'array'; itemType: 'u32' | 'i32' | 'f32'; values: readonly number[] };

/** A tensor of plain floats, filled element by element. */
export interface FloatTensorSpec {
  name: string;
  /** ggml order: the innermost (contiguous) dimension first. */
  dimensions: readonly number[];
  type: 'F32' | 'F16';
  /** Fills `out` with the elements starting at `firstElement` (called in chunks to bound memory). */
  fill: (out: Float32Array | Uint16Array, firstElement: number) => void;
}

/** A tensor stored in ggml blocks (F16 too, as 2-byte blocks), filled as raw bytes of whole blocks. */
export interface BlockTensorSpec {
  name: string;
  dimensions: readonly number[];
  type: BlockTypeName;
  /** Fills `out` (whole blocks) with the tensor's bytes starting at byte `firstByte`. */
  fillBytes: (out: Uint8Array, firstByte: number) => void;
}

export type TensorSpec = FloatTensorSpec | BlockTensorSpec;

const valueTypeIds = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10 } as const;
const alignment = 32; // GGUF's default general.alignment
const chunkElements = 1 << 20;
// Block tensors are written 4 MiB at a time (rounded to whole blocks): few syscalls, little memory.
const chunkBytes = 4 << 20;

/** Growable little-endian byte sink for the header. */
class Bytes {
  private parts: Buffer[] = [];
  length = 0;
  push(buffer: Buffer) {
    this.parts.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  u64(value: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  string(value: string) {
    const encoded = Buffer.from(value, 'utf8');
    this.u64(encoded.length);
    this.push(encoded);
  }
  scalar(type: 'u32' | 'i32' | 'f32' | 'u64', value: number) {
    const b = Buffer.alloc(type === 'u64' ? 8 : 4);
    if (type === 'u32') b.writeUInt32LE(value);
    else if (type === 'i32') b.writeInt32LE(value);
    else if (type === 'f32') b.writeFloatLE(value);
    else b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  concat() {
    return Buffer.concat(this.parts);
  }
}

function writeValue(out: Bytes, value: GgufValue) {
  out.u32(valueTypeIds[value.type]);
  if (value.type === 'string') out.string(value.value);
  else if (value.type === 'bool') out.push(Buffer.from([value.value ? 1 : 0]));
  else if (value.type !== 'array') out.scalar(value.type, value.value);
  else {
    out.u32(valueTypeIds[value.itemType]);
    out.u64(value.values.length);
    if (value.itemType === 'string') for (const item of value.values) out.string(item);
    else for (const item of value.values) out.scalar(value.itemType, item);
  }
}

const padTo = (offset: number) => Math.ceil(offset / alignment) * alignment;
const elementsOf = (tensor: TensorSpec) => tensor.dimensions.reduce((count, dim) => count * dim, 1);
const isBlockTensor = (tensor: TensorSpec): tensor is BlockTensorSpec => 'fillBytes' in tensor;

/** Bytes of a tensor's data: whole blocks along the innermost dimension, as ggml lays rows out. */
export function tensorDataBytes(tensor: Pick<TensorSpec, 'dimensions' | 'type'>): number {
  const layout = blockLayouts[tensor.type];
  const [inner = 1, ...outer] = tensor.dimensions;
  if (inner % layout.elementsPerBlock !== 0) {
    throw new Error(`a ${tensor.type} row must be a multiple of ${layout.elementsPerBlock} elements, not ${inner}`);
  }
  const rows = outer.reduce((count, dim) => count * dim, 1);
  return (inner / layout.elementsPerBlock) * layout.bytesPerBlock * rows;
}

function writeBlockTensor(fd: number, tensor: BlockTensorSpec): number {
  const total = tensorDataBytes(tensor);
  const blockBytes = blockLayouts[tensor.type].bytesPerBlock;
  const step = Math.max(blockBytes, Math.floor(chunkBytes / blockBytes) * blockBytes);
  const buffer = new Uint8Array(Math.min(step, total));
  for (let first = 0; first < total; first += step) {
    const chunk = buffer.subarray(0, Math.min(step, total - first));
    tensor.fillBytes(chunk, first);
    writeSync(fd, chunk);
  }
  return total;
}

function writeFloatTensor(fd: number, tensor: FloatTensorSpec): number {
  const total = elementsOf(tensor);
  for (let first = 0; first < total; first += chunkElements) {
    const count = Math.min(chunkElements, total - first);
    const chunk = tensor.type === 'F32' ? new Float32Array(count) : new Uint16Array(count);
    tensor.fill(chunk, first);
    writeSync(fd, new Uint8Array(chunk.buffer, 0, chunk.byteLength));
  }
  return tensorDataBytes(tensor);
}

/**
 * Writes a GGUF v3 file: header, metadata, tensor table, then each tensor's data aligned to 32 bytes, streamed in
 * chunks so a file of gigabytes never sits in memory. Enough for synthetic models; not a general tool.
 */
export function writeGguf(path: string, metadata: readonly [string, GgufValue][], tensors: readonly TensorSpec[]) {
  const header = new Bytes();
  header.push(Buffer.from('GGUF', 'ascii'));
  header.u32(3);
  header.u64(tensors.length);
  header.u64(metadata.length);
  for (const [key, value] of metadata) {
    header.string(key);
    writeValue(header, value);
  }
  let dataOffset = 0;
  for (const tensor of tensors) {
    header.string(tensor.name);
    header.u32(tensor.dimensions.length);
    for (const dimension of tensor.dimensions) header.u64(dimension);
    header.u32(blockLayouts[tensor.type].typeId);
    header.u64(dataOffset);
    dataOffset = padTo(dataOffset + tensorDataBytes(tensor));
  }
  header.push(Buffer.alloc(padTo(header.length) - header.length));

  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header.concat());
    for (const tensor of tensors) {
      const written = isBlockTensor(tensor) ? writeBlockTensor(fd, tensor) : writeFloatTensor(fd, tensor);
      writeSync(fd, Buffer.alloc(padTo(written) - written));
    }
  } finally {
    closeSync(fd);
  }
}
