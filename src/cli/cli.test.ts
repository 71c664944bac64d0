import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../test/fixtures';
import { cliEnv } from '../../test/cli/cliEnv';
import { runCli, spawnCli } from '../../test/runCli';
import type { ModelListing } from '../shared/contract';
import { exitCodes } from './exitCodes';

describe('mai CLI', () => {
  it('--help names every command with examples and exit codes', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    for (const command of ['chat', 'status', 'models', 'pull', 'switch', 'serve']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    }
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('Exit codes:');
  });

  it('--version prints the package version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(runCli(['--version']).stdout.trim()).toBe(version);
  });

  it('an unknown command is a usage error naming it', () => {
    const run = runCli(['dance']);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('unknown command "dance"');
  });

  it('an unknown option is a usage error', () => {
    const run = runCli(['status', '--colour']);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('--colour');
  });

  it('chat -m answers one message with real stories260K text, tagged with the model', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    const env = { HOME: home, MAI_HOME: home, MAI_MODELS_DIR: sharedModelsDir() };
    const run = runCli(['chat', '-m', 'Once upon a time', '--model', 'stories260K'], env);
    expect(run.status).toBe(0);
    // stories260K writes simple English; the random-weight model could not produce these words.
    expect(run.stdout).toMatch(/\b(the|and|was|a)\b/);
    expect(run.stdout).toMatch(/— stories260K \(embedded, \d+ tokens\/s\)\n$/);
  });

  it('chat -m: Ctrl-C while the loaded model answers ends the answer cleanly, not the process by the signal', async () => {
    const env = cliEnv();
    // The engine is loaded and answering: node-llama-cpp brings signal-exit, whose listener re-raises a signal it is
    // left alone with, so the command's own listener must still be there when the signal comes.
    const chat = spawnCli(['chat', '-m', 'Once upon a time'], env);
    await chat.waitForStdout(/\S/);
    chat.child.kill('SIGINT');
    expect(await chat.exited).toBe(exitCodes.failure);
    expect(chat.output.stderr).toContain('mai: cancelled');
    expect(chat.output.stdout).toMatch(/— (stories260K|llama-2-tiny-random) \(embedded/);
  });

  it('chat -m --json prints text, model, stats and switches', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    const env = { HOME: home, MAI_HOME: home, MAI_MODELS_DIR: sharedModelsDir() };
    const run = runCli(['chat', '-m', 'Once upon a time', '--json'], env);
    expect(run.status).toBe(0);
    const answer = JSON.parse(run.stdout) as {
      text: string;
      model: { key: string; backend: string };
      stats: { predictedTokens: number; stopReason: string };
      switches: { to: string | null; trigger: string }[];
    };
    expect(answer.text.length).toBeGreaterThan(0);
    expect(['stories260K', 'llama-2-tiny-random']).toContain(answer.model.key);
    expect(answer.stats.predictedTokens).toBeGreaterThan(0);
    expect(answer.switches[0]).toMatchObject({ to: answer.model.key, trigger: 'selection' });
  });

  it('chat -m with no models found says where Mai looked', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    const run = runCli(['chat', '-m', 'hello'], { HOME: home, MAI_HOME: home, MAI_MODELS_DIR: '' });
    expect(run.status).toBe(exitCodes.failure);
    expect(run.stderr).toContain('No models found');
    expect(run.stderr).toContain('MAI_MODELS_DIR');
  });

  it.each(['chat', 'status', 'models', 'switch', 'serve'])('%s --help shows its usage and exits 0', (command) => {
    const run = runCli([command, '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: mai ${command}`));
  });

  it('models --json lists both fixture models with estimates that fit this machine', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    const run = runCli(['models', '--json'], { HOME: home, MAI_HOME: home, MAI_MODELS_DIR: sharedModelsDir() });
    expect(run.status).toBe(0);
    const models = JSON.parse(run.stdout) as ModelListing[];
    expect(models.map((m) => m.key).sort()).toEqual(['llama-2-tiny-random', 'stories260K']);
    for (const model of models) {
      expect(model).toMatchObject({ backend: 'embedded', category: 'small', usable: true, fits: true, loaded: false });
      expect(model.estimate?.ramBytes).toBeGreaterThan(model.sizeBytes);
      expect(model.estimate?.vramBytes).toBe(0);
    }
    const stories = models.find((m) => m.key === 'stories260K');
    expect(stories).toMatchObject({ sizeBytes: 1_185_376, contextWindow: 2048, estimate: { contextLength: 2048 } });
  });

  it.runIf(process.platform === 'linux')(
    'models --json shows what a model measured at its last load, in a process of its own after the chat',
    () => {
      const env = cliEnv();
      const before = JSON.parse(runCli(['models', '--json'], env).stdout) as ModelListing[];
      expect(before.find((m) => m.key === 'stories260K')?.estimate).toMatchObject({ source: 'estimate' });
      expect(runCli(['chat', '-m', 'Once upon a time', '--model', 'stories260K'], env).status).toBe(0);
      const after = JSON.parse(runCli(['models', '--json'], env).stdout) as ModelListing[];
      const stories = after.find((m) => m.key === 'stories260K');
      expect(stories?.estimate).toMatchObject({ source: 'measured', method: 'measured' });
      expect(stories?.estimate?.ramBytes).toBeGreaterThan(0);
      expect(stories?.reason).toMatch(/measured [\d.]+ MiB at its last load/);
      // Only the model that was loaded has a measurement.
      expect(after.find((m) => m.key === 'llama-2-tiny-random')?.estimate).toMatchObject({ source: 'estimate' });
    },
  );

  it('models says where it looked when there are none', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    const run = runCli(['models'], { HOME: home, MAI_HOME: home, MAI_MODELS_DIR: '' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('No models found');
    expect(run.stdout).toContain('MAI_MODELS_DIR');
  });

  it('serve refuses a port out of range', () => {
    const run = runCli(['serve', '--port', '70000']);
    expect(run.status).toBe(exitCodes.usage);
    expect(run.stderr).toContain('--port must be an integer from 0 to 65535, got "70000"');
  });

  it.runIf(process.platform === 'linux')('status --json reports the kernel’s total memory', () => {
    const run = runCli(['status', '--json']);
    expect(run.status).toBe(0);
    const status = JSON.parse(run.stdout) as { resources: { memory: { totalBytes: number }; gpus: unknown[] } };
    const memTotalKib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]);
    expect(status.resources.memory.totalBytes).toBe(memTotalKib * 1024);
    expect(Array.isArray(status.resources.gpus)).toBe(true);
  });

  it('status --json carries the tier with reasons and the config errors', () => {
    const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
    mkdirSync(path.join(maiHome, 'config'));
    writeFileSync(path.join(maiHome, 'config', 'models.yaml'), 'models:\n  - key: [unclosed\n');
    const run = runCli(['status', '--json'], { MAI_HOME: maiHome });
    expect(run.status).toBe(0);
    const status = JSON.parse(run.stdout) as {
      tier: { name: string; reasons: string[] };
      config: { errors: { file: string; line: number | null }[] };
    };
    expect(['low_end', 'mid_range', 'high_end']).toContain(status.tier.name);
    expect(status.tier.reasons.length).toBeGreaterThan(0);
    expect(status.config.errors[0]).toMatchObject({ file: path.join(maiHome, 'config', 'models.yaml') });
    expect(status.config.errors[0]?.line).toBeGreaterThan(0);
  });

  it('status prints a readable table', () => {
    const run = runCli(['status']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}Memory\s+[\d.]+ GiB available of [\d.]+ GiB/m);
    expect(run.stdout).toMatch(/^ {2}CPU\s+\d+% of \d+ cores/m);
    expect(run.stdout).toMatch(/^ {2}Tier\s+(low_end|mid_range|high_end)$/m);
  });
});
