import { describe, expect, it } from 'vitest';
import type { ModelListing, ModelState, ResourceSample } from '../shared/contract';
import {
  buildTrayMenu,
  pauseTarget,
  resourceSummary,
  trayTitle,
  trayTooltip,
  type TrayMenuItem,
  type TrayState,
} from './trayMenu';

function sample(overrides: Partial<ResourceSample> = {}): ResourceSample {
  return {
    atMs: 0,
    cpu: { percent: 23.4, cores: 8 },
    memory: { totalBytes: 16e9, availableBytes: 6.9e9, usedPercent: 56.9, maiBytes: 1e8 },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus: [],
    ...overrides,
  };
}

const gpu = {
  index: 0,
  name: 'RTX 4060',
  vendor: 'nvidia' as const,
  vramTotalBytes: 8e9,
  vramUsedBytes: 3.2e9,
  vramFreeBytes: 4.8e9,
  utilizationPercent: 10,
  temperatureC: 50,
};

function listing(key: string, overrides: Partial<ModelListing> = {}): ModelListing {
  return {
    key,
    displayName: key,
    backend: 'embedded',
    category: 'small',
    sizeBytes: 1e6,
    contextWindow: 2048,
    capabilities: [],
    estimate: { ramBytes: 1e7, vramBytes: 0, contextLength: 2048, method: 'engine' },
    fits: true,
    reason: 'fits',
    loaded: false,
    usable: true,
    ...overrides,
  };
}

const auto: ModelState = {
  current: { key: 'small', backend: 'embedded', contextLength: 2048 },
  mode: 'auto',
  pinnedKey: null,
  reason: '',
};
const pinned: ModelState = {
  ...auto,
  current: { key: 'big', backend: 'lmstudio', contextLength: 8192 },
  mode: 'pinned',
  pinnedKey: 'big',
};
const models = [
  listing('small'),
  listing('big', { fits: false, backend: 'lmstudio' }),
  listing('broken', { usable: false }),
];

function state(overrides: Partial<TrayState> = {}): TrayState {
  return {
    version: '1.2.3',
    sample: sample(),
    model: auto,
    models,
    personality: 'All calm.',
    mood: 'relaxed',
    startAtLogin: { available: true, enabled: false },
    ...overrides,
  };
}

function submenu(menu: TrayMenuItem[], label: string): TrayMenuItem[] {
  const item = menu.find((i) => i.type === 'submenu' && i.label === label);
  if (item?.type !== 'submenu') throw new Error(`no ${label} submenu`);
  return item.submenu;
}

function radios(items: TrayMenuItem[]) {
  return items.flatMap((i) => (i.type === 'radio' ? [{ label: i.label, checked: i.checked, action: i.action }] : []));
}

describe('resourceSummary', () => {
  it.each([
    [null, 'Measuring…'],
    [sample(), 'CPU 23% · RAM 9.1/16.0 GB'],
    [sample({ gpus: [gpu] }), 'CPU 23% · RAM 9.1/16.0 GB · VRAM 3.2/8.0 GB'],
    [sample({ gpus: [gpu, { ...gpu, index: 1 }] }), 'CPU 23% · RAM 9.1/16.0 GB · VRAM 6.4/16.0 GB'],
  ])('%#', (input, expected) => {
    expect(resourceSummary(input)).toBe(expected);
  });
});

describe('trayTitle', () => {
  it.each([
    [null, null, 'Mai 1.2.3'],
    [auto, null, 'Mai — small (auto)'],
    [auto, 'tiny', 'Mai — small (auto)'],
    [pinned, null, 'Mai — big (pinned)'],
    // Pinned to a model that loads with the next message: the pin, not the model still loaded.
    [pinned, 'tiny', 'Mai — tiny (pinned)'],
    [
      { current: null, mode: 'auto', pinnedKey: null, reason: 'nothing fits' } as ModelState,
      null,
      'Mai — no model (auto)',
    ],
  ])('%#', (model, pinnedKey, expected) => {
    expect(trayTitle({ version: '1.2.3', model: model && { ...model, pinnedKey } })).toBe(expected);
  });
});

describe('buildTrayMenu', () => {
  it('shows the title and the live summary, then the actions in order', () => {
    const menu = buildTrayMenu(state());
    expect(menu[0]).toMatchObject({ label: 'Mai — small (auto)', enabled: false });
    expect(menu[1]).toMatchObject({ label: 'CPU 23% · RAM 9.1/16.0 GB', enabled: false });
    const labels = menu.flatMap((item) => (item.type === 'separator' ? [] : [item.label]));
    expect(labels.slice(2)).toEqual([
      'Models',
      'Pause automatic switching',
      'Open chat',
      'Dashboard',
      'Start at login',
      'Quit Mai',
    ]);
  });

  it.each([
    ['off by default where it can work', { available: true, enabled: false }, { enabled: true, checked: false }],
    ['checked once turned on', { available: true, enabled: true }, { enabled: true, checked: true }],
    [
      'greyed out where it cannot (a checkout)',
      { available: false, enabled: false },
      { enabled: false, checked: false },
    ],
  ])('Start at login: %s', (_, startAtLogin, expected) => {
    const item = buildTrayMenu(state({ startAtLogin })).find(
      (i) => i.type !== 'separator' && i.label === 'Start at login',
    );
    expect(item).toEqual({
      type: 'checkbox',
      label: 'Start at login',
      ...expected,
      action: { kind: 'toggle-start-at-login' },
    });
  });

  it.each([
    ['auto', auto, { Automatic: true, '✓ small': false, '! big': false }, false],
    ['pinned', pinned, { Automatic: false, '✓ small': false, '! big': true }, true],
  ])('models submenu while %s: Automatic first, usable models with fit markers', (_, model, checked, paused) => {
    const menu = buildTrayMenu(state({ model }));
    const items = radios(submenu(menu, 'Models'));
    expect(Object.fromEntries(items.map((i) => [i.label, i.checked]))).toEqual(checked);
    expect(items.map((i) => i.action)).toEqual([
      { kind: 'switch', key: 'auto' },
      { kind: 'switch', key: 'small' },
      { kind: 'switch', key: 'big' },
    ]);
    expect(menu.find((i) => i.type === 'checkbox')).toMatchObject({
      checked: paused,
      action: { kind: 'toggle-pause' },
    });
  });

  it('disables the models submenu and pausing before the brain has answered', () => {
    const menu = buildTrayMenu(state({ model: null, models: [] }));
    expect(menu.find((i) => i.type === 'submenu')).toMatchObject({ enabled: false });
    expect(menu.find((i) => i.type === 'checkbox')).toMatchObject({ enabled: false, checked: false });
  });
});

describe('pauseTarget and tooltip', () => {
  it.each([
    [auto, 'small'],
    [pinned, 'auto'],
    [{ current: null, mode: 'auto', pinnedKey: null, reason: '' } as ModelState, null],
    [null, null],
  ])('%#', (model, expected) => {
    expect(pauseTarget(model)).toBe(expected);
  });

  it('puts Mai’s status line under the title, or the summary before there is one', () => {
    expect(trayTooltip(state())).toBe('Mai — small (auto)\nAll calm.');
    expect(trayTooltip(state({ personality: '' }))).toBe('Mai — small (auto)\nCPU 23% · RAM 9.1/16.0 GB');
  });
});
