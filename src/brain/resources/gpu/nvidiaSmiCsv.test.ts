import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GpuSampleSchema } from '../../../shared/contract';
import { nvidiaSmiQueryFields, nvidiaSmiStreamArgs, parseNvidiaSmiLine } from './nvidiaSmiCsv';

const mib = 1024 * 1024;

describe('parseNvidiaSmiLine', () => {
  it('reads a normal line, MiB to bytes', () => {
    expect(parseNvidiaSmiLine('0, NVIDIA GeForce RTX 4090, 24564, 1536, 22553, 3, 41')).toEqual({
      index: 0,
      name: 'NVIDIA GeForce RTX 4090',
      vendor: 'nvidia',
      vramTotalBytes: 24564 * mib,
      vramUsedBytes: 1536 * mib,
      vramFreeBytes: 22553 * mib,
      utilizationPercent: 3,
      temperatureC: 41,
    });
  });

  it('reads a multi-GPU stream, every line conforming to the contract', () => {
    const lines = readFileSync(new URL('../fixtures/nvidia-smi-stream.txt', import.meta.url), 'utf8')
      .trim()
      .split('\n');
    const samples = lines.map(parseNvidiaSmiLine);
    expect(samples.map((s) => s?.index)).toEqual([0, 1, 0, 1]);
    expect(samples[1]?.name).toBe('NVIDIA RTX A4000');
    expect(samples[3]?.vramUsedBytes).toBe(15871 * mib);
    for (const sample of samples) expect(GpuSampleSchema.safeParse(sample).success).toBe(true);
  });

  it('turns [N/A] and [Not Supported] into null, not zero', () => {
    // A laptop GeForce: no utilisation counter, no temperature sensor exposed.
    const sample = parseNvidiaSmiLine('0, NVIDIA GeForce MX150, 2048, 217, 1831, [Not Supported], [N/A]');
    expect(sample?.utilizationPercent).toBeNull();
    expect(sample?.temperatureC).toBeNull();
    expect(sample?.vramUsedBytes).toBe(217 * mib);
  });

  it('derives used from free (and free from used) where one is [N/A]', () => {
    expect(parseNvidiaSmiLine('0, Tesla T4, 15360, [N/A], 15000, 0, 30')?.vramUsedBytes).toBe(360 * mib);
    expect(parseNvidiaSmiLine('0, Tesla T4, 15360, 360, [N/A], 0, 30')?.vramFreeBytes).toBe(15000 * mib);
  });

  it('keeps a name that itself holds a comma', () => {
    const sample = parseNvidiaSmiLine('2, Weird Board, Rev 2, 8192, 0, 8192, 0, 35');
    expect(sample).toMatchObject({ index: 2, name: 'Weird Board, Rev 2', vramTotalBytes: 8192 * mib });
  });

  it('tolerates CRLF endings and stray spaces', () => {
    expect(parseNvidiaSmiLine(' 0 ,  Tesla T4 , 15360 , 0 , 15360 , 0 , 30\r')).toMatchObject({ name: 'Tesla T4' });
  });

  it.each([
    ['a truncated line', '0, NVIDIA GeForce RTX 40'],
    ['a line cut after the memory total', '0, NVIDIA GeForce RTX 4090, 24564, 15'],
    ['an empty line', ''],
    ['the driver-failure message', "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."],
    ['no devices', 'No devices were found'],
    ['a non-numeric index', 'x, Tesla T4, 15360, 0, 15360, 0, 30'],
    ['a missing total', '0, Tesla T4, [N/A], 0, 15360, 0, 30'],
    ['an empty name', '0, , 15360, 0, 15360, 0, 30'],
  ])('drops %s', (_what, line) => {
    expect(parseNvidiaSmiLine(line)).toBeUndefined();
  });

  it('clamps an out-of-range utilisation into the contract', () => {
    expect(parseNvidiaSmiLine('0, Tesla T4, 15360, 0, 15360, 101, 30')?.utilizationPercent).toBe(100);
  });
});

describe('nvidiaSmiStreamArgs', () => {
  it('asks for the fields the parser reads, in its order, as one stream', () => {
    expect(nvidiaSmiStreamArgs(1000)).toEqual([
      `--query-gpu=${nvidiaSmiQueryFields.join(',')}`,
      '--format=csv,noheader,nounits',
      '-lms',
      '1000',
    ]);
    expect(nvidiaSmiQueryFields[0]).toBe('index');
  });
});
