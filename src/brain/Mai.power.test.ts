/**
 * Mai on a laptop: the real engine and the two fixture models (llama-2-tiny-random as medium, stories260K as small)
 * on a mid-range machine whose battery is a scripted sysfs tree, read by the real power sampler.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../test/fixtures';
import { eventually, ScriptedMachine } from '../../test/scriptedMachine';
import { createBrain, type Brain } from './Brain';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { SysfsPowerSampler } from './resources/power/linuxPowerSupply';
import { noGpuSampler } from './resources/sampler';

const gib = 1024 ** 3;

const modelsYaml = `models:
${[
  ['llama-2-tiny-random', 'medium'],
  ['stories260K', 'small'],
]
  .map(
    ([key, category]) => `  - key: ${key}
    display_name: ${key}
    category: ${category}
    min_memory_gb: 0
    min_vram_gb: 0
    context_window: 2048
    capabilities: [chat]
    fallback: []`,
  )
  .join('\n')}
`;

/** A laptop's power_supply class: the AC adapter and one battery. */
function powerSupply(root: string, state: { acOnline: boolean; percent: number }): void {
  const write = (name: string, attributes: Record<string, string>) => {
    const dir = path.join(root, 'class', 'power_supply', name);
    mkdirSync(dir, { recursive: true });
    for (const [file, content] of Object.entries(attributes)) writeFileSync(path.join(dir, file), `${content}\n`);
  };
  write('AC', { type: 'Mains', online: state.acOnline ? '1' : '0' });
  write('BAT0', {
    type: 'Battery',
    scope: 'System',
    status: state.acOnline ? 'Charging' : 'Discharging',
    capacity: String(state.percent),
  });
}

let brain: Brain | undefined;
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
});

describe('Mai on battery', () => {
  it('prefers the lighter model below the low charge, and the decision says why', async () => {
    const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-battery-'));
    mkdirSync(path.join(maiHome, 'config'));
    writeFileSync(path.join(maiHome, 'config', 'models.yaml'), modelsYaml);
    const sysfs = path.join(maiHome, 'sys');
    powerSupply(sysfs, { acOnline: true, percent: 64 });
    const machine = new ScriptedMachine({ memoryUsedPercent: 30 });
    brain = createBrain({
      maiHome,
      hostSampler: machine,
      gpuSampler: noGpuSampler,
      powerSampler: new SysfsPowerSampler(sysfs),
      clock: machine.clock,
      // 25 ms of real time per simulated second: the 30 s power reading comes round in under a second.
      sampleIntervalMs: 25,
      hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
      backends: [new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false })],
    });
    await brain.start();

    const plugged = await brain.chat('Once upon a time');
    expect(plugged.model.key).toBe('llama-2-tiny-random');

    powerSupply(sysfs, { acOnline: false, percent: 20 });
    await eventually(
      async () => {
        const status = await brain?.invoke({ name: 'status.get', payload: {} });
        return status?.ok && status.value.resources.power?.source === 'battery' ? true : undefined;
      },
      15_000,
      'the battery reading',
    );
    const unplugged = await brain.chat('Once upon a time');
    expect(unplugged.model.key).toBe('stories260K');
    const decision = unplugged.switches.find((d) => d.to === 'stories260K');
    expect(decision?.reason).toContain('on battery, 20 %: lighter model, no GPU offload');
  });
});
