import { copyFileSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath } from '../../../test/fixtures';
import type { ModelListing, Request, RequestName, ResponseValue } from '../../shared/contract';
import { createBrain, type Brain } from '../Brain';
import { EmbeddedBackend } from '../backends/embedded/EmbeddedBackend';
import { measurementsFileName, type Measurement } from './measurementStore';

/**
 * Learning from loads, end to end: the real embedded engine loads a real model file, answers, unloads; a second
 * Mai on the same $MAI_HOME lists the measured figure, and a changed file drops it. Figures are not asserted
 * (a 1 MB model's memory is V8 noise); where they come from is.
 */
let maiHome: string;
let modelsDir: string;
let brain: Brain | undefined;

beforeAll(() => {
  maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-measure-home-'));
  modelsDir = mkdtempSync(path.join(os.tmpdir(), 'mai-measure-models-'));
  copyFileSync(fixtureModelPath('stories260K'), path.join(modelsDir, 'stories260K.gguf'));
});
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
});
afterAll(() => {
  rmSync(maiHome, { recursive: true, force: true });
  rmSync(modelsDir, { recursive: true, force: true });
});

async function start(): Promise<Brain> {
  brain = createBrain({
    maiHome,
    backends: [new EmbeddedBackend({ modelsDirs: [modelsDir], threads: 1, gpu: false })],
  });
  await brain.start();
  return brain;
}

async function value<N extends RequestName>(mai: Brain, request: Request<N>): Promise<ResponseValue<N>> {
  const result = await mai.invoke(request);
  if (!result.ok) throw new Error(`${request.name}: ${result.error.message}`);
  return result.value;
}

async function stories(mai: Brain): Promise<ModelListing> {
  const { models } = await value(mai, { name: 'models.list', payload: {} });
  const listing = models.find((model) => model.key === 'stories260K');
  if (!listing) throw new Error('stories260K not listed');
  return listing;
}

const recorded = (): Measurement[] =>
  (JSON.parse(readFileSync(path.join(maiHome, measurementsFileName), 'utf8')) as { measurements: Measurement[] })
    .measurements;

describe.runIf(process.platform === 'linux')('memory learned from every load', () => {
  it('is an estimate before the first load, and the measured figure after it, across restarts', async () => {
    const first = await start();
    expect((await stories(first)).estimate).toMatchObject({ source: 'estimate', method: 'engine' });
    await value(first, { name: 'models.switch', payload: { key: 'stories260K' } });
    await value(first, { name: 'chat.send', payload: { text: 'Once upon a time' } });
    const measuredNow = await stories(first);
    expect(measuredNow.estimate).toMatchObject({ source: 'measured', method: 'measured' });
    await first.shutdown();
    brain = undefined;

    // The unload looked at which mapped pages the answer read: the record is now a working set.
    const [record] = recorded();
    expect(record).toMatchObject({
      backend: 'embedded',
      path: path.join(modelsDir, 'stories260K.gguf'),
      quality: 'working-set',
      contextLength: measuredNow.estimate?.contextLength,
    });
    expect(record?.ramBytes).toBeGreaterThan(0);

    const second = await start();
    const listed = await stories(second);
    expect(listed.estimate).toMatchObject({ source: 'measured', method: 'measured' });
    expect(listed.reason).toMatch(/\(measured \d+(\.\d)? MiB at its last load \(\d[\d,]* tokens\)\)$/);
    // The decision that loads it says where its figure came from.
    await value(second, { name: 'models.switch', payload: { key: 'stories260K' } });
    const answer = await value(second, { name: 'chat.send', payload: { text: 'Once upon a time' } });
    const opened = await value(second, { name: 'conversations.open', payload: { id: answer.conversationId } });
    const [switched] = opened.switches;
    expect(switched?.reason).toMatch(/; measured \d+(\.\d)? MiB at its last load$/);
    // Two Mai starts, two loads and two answers on a 2-core machine: more than the default 30 s may pass.
  }, 120_000);

  it('drops the measurement of a file that changed', async () => {
    expect(recorded()).toHaveLength(1);
    const file = path.join(modelsDir, 'stories260K.gguf');
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    const mai = await start();
    expect((await stories(mai)).estimate).toMatchObject({ source: 'estimate' });
    expect(recorded()).toEqual([]);
  });
});
