import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScriptedMachine } from '../../test/scriptedMachine';
import { createBrain, silentLogger, type Brain, type BrainDeps } from '../brain';
import { noGpuSampler } from '../brain/resources/sampler';
import { fake } from './testing/fakeElectron';

vi.mock('electron', async () => (await import('./testing/fakeElectron')).fakeElectronModule());
const { runMai } = await import('./mainApp');

const gib = 1024 ** 3;
let root: string;
let machine: ScriptedMachine;
let brainDeps: BrainDeps | undefined;
let brain: Brain | undefined;

beforeEach(() => {
  fake.reset();
  root = mkdtempSync(path.join(os.tmpdir(), 'mai-main-'));
  fake.app.setPath('userData', path.join(root, 'userData'));
  machine = new ScriptedMachine({ memoryUsedPercent: 30 });
  brainDeps = undefined;
  brain = undefined;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await brain?.shutdown();
  rmSync(root, { recursive: true, force: true });
});

/** The real brain on a scripted mid-range machine (memory threshold 80 %), with no engines. */
function scriptedBrain(deps: BrainDeps): Brain {
  brainDeps = deps;
  const { configDefaultsDir: _packagedConfig, ...rest } = deps;
  brain = createBrain({
    ...rest,
    hostSampler: machine,
    gpuSampler: noGpuSampler,
    sampleIntervalMs: 25,
    hardware: async () => ({ totalMemoryBytes: 8 * gib, cpuCores: 4, gpus: [] }),
    backends: [],
  });
  return brain;
}

function start(env: NodeJS.ProcessEnv = {}) {
  return runMai({
    mainDir: path.join(root, 'app', 'out', 'main'),
    env: { MAI_LMSTUDIO_DISCOVERY: 'off', XDG_CONFIG_HOME: path.join(root, 'xdg'), ...env },
    logger: silentLogger,
    createBrain: scriptedBrain,
  });
}

interface TemplateItem {
  type?: string;
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
}
function trayItem(label: string): TemplateItem {
  const item = (fake.trays[0]?.menu as TemplateItem[]).find((i) => i.label === label);
  if (!item) throw new Error(`no ${label} in the tray menu`);
  return item;
}

describe('runMai', () => {
  it('keeps its data in Electron’s userData folder', async () => {
    const running = await start();
    expect(running?.maiHome).toBe(path.join(root, 'userData'));
    expect(brainDeps?.maiHome).toBe(path.join(root, 'userData'));
    expect(existsSync(path.join(root, 'userData', 'instance.json'))).toBe(true);
  });

  it('moves userData, and so everything, to MAI_HOME when it is set', async () => {
    const home = path.join(root, 'elsewhere');
    await start({ MAI_HOME: home });
    expect(fake.app.getPath('userData')).toBe(home);
    expect(brainDeps?.maiHome).toBe(home);
    expect(existsSync(path.join(home, 'instance.json'))).toBe(true);
  });

  it('hands over to the running Mai and quits when it is not the first instance', async () => {
    fake.app.lockAvailable = false;
    expect(await start()).toBeNull();
    expect(fake.app.exited).toBe(true);
    expect(brainDeps).toBeUndefined();
    expect(fake.trays).toHaveLength(0);
  });

  it('brings its chat forward, restored, when a second launch hands over', async () => {
    await start();
    const chat = fake.windows[0];
    expect(chat?.url).toMatch(/#view=chat$/);
    chat?.minimize();
    chat?.close();
    expect(chat).toMatchObject({ visible: false, destroyed: false });
    fake.app.emit('second-instance');
    await vi.waitFor(() => expect(chat).toMatchObject({ visible: true, minimized: false, focused: true }));
    expect(fake.windows).toHaveLength(1);
  });

  it('offers Start at login off by default, and greyed out in a checkout', async () => {
    await start();
    expect(trayItem('Start at login')).toMatchObject({ type: 'checkbox', checked: false, enabled: false });
  });

  it('turns Start at login on and off from the tray in an installed app', async () => {
    fake.app.isPackaged = true;
    const resourcesPath = process.resourcesPath;
    Object.assign(process, { resourcesPath: path.join(root, 'resources') });
    try {
      await start();
      expect(brainDeps?.configDefaultsDir).toBe(path.join(root, 'resources', 'config'));
      expect(trayItem('Start at login')).toMatchObject({ checked: false, enabled: true });
      trayItem('Start at login').click?.();
      expect(trayItem('Start at login')).toMatchObject({ checked: true });
      trayItem('Start at login').click?.();
      expect(trayItem('Start at login')).toMatchObject({ checked: false });
    } finally {
      Object.assign(process, { resourcesPath });
    }
  });

  it('shows the machine’s pressure in the tray icon: calm, strained, over the limit', async () => {
    const running = await start();
    const tray = fake.trays[0];
    const icon = () => path.basename(tray?.images.at(-1) ?? '');
    expect(icon()).toBe('tray-calm.png');
    // The tray reads Mai's status after each decision; "auto" is one that changes nothing else.
    const pressure = async (memoryUsedPercent: number, expected: string) => {
      machine.memoryUsedPercent = memoryUsedPercent;
      await vi.waitFor(() => expect(running?.brain).toBeDefined());
      await new Promise<void>((resolve) => {
        const off = running?.brain.subscribe('resources.sample', (sample) => {
          if (sample.memory.usedPercent === memoryUsedPercent) queueMicrotask(() => (off?.(), resolve()));
        });
      });
      await running?.brain.invoke({ name: 'models.switch', payload: { key: 'auto' } });
      await vi.waitFor(() => expect(icon()).toBe(expected));
    };
    await pressure(70, 'tray-strained.png');
    await pressure(90, 'tray-over.png');
    await pressure(30, 'tray-calm.png');
  });

  it('quits only after the bridge is closed and the brain has shut down', async () => {
    const running = await start();
    const order: string[] = [];
    const shutdown = running?.brain.shutdown.bind(running.brain);
    let finishShutdown: () => void = () => {};
    vi.spyOn(running!.brain, 'shutdown').mockImplementation(async () => {
      order.push(existsSync(path.join(root, 'userData', 'instance.json')) ? 'shutdown, still published' : 'shutdown');
      await new Promise<void>((resolve) => (finishShutdown = resolve));
      await shutdown?.();
      order.push('shut down');
    });
    fake.app.quit();
    await vi.waitFor(() => expect(order).toEqual(['shutdown']));
    expect(fake.app.exited).toBe(false);
    // Quitting lets windows close for real.
    fake.windows[0]?.close();
    expect(fake.windows[0]?.destroyed).toBe(true);
    finishShutdown();
    await vi.waitFor(() => expect(fake.app.exited).toBe(true));
    expect(order).toEqual(['shutdown', 'shut down']);
  });
});
