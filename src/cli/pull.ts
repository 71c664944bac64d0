import { parseArgs } from 'node:util';
import { createBrain } from '../brain';
import { sha256HexPattern, type PullResultView } from '../shared/contract';
import { formatBytes } from '../shared/format';
import { CliError, exitCodes } from './exitCodes';
import { showPullProgress } from './pullProgress';
import { onStopSignals } from './stopSignals';

const usage = `Usage: mai pull <key|uri> [--sha256 HEX] [--json]

Downloads a model into $MAI_HOME/models, where Mai finds it at once (a running Mai too, without a restart).
  <key>   a model from "mai models --recommended" (its download is listed in models.yaml)
  <uri>   hf:<owner>/<repo>/<file>.gguf, or an http(s) URL of a GGUF file

The file is checked against its published size and SHA-256 before it becomes visible. An interrupted pull
(Ctrl-C, a lost connection) keeps what it fetched; run the same pull again to resume.

Options:
  --sha256 HEX  the checksum to verify a bare URI against (models.yaml gives it for keys)
  --json        print the result as JSON: { key, path, sizeBytes, sha256, verified, alreadyPresent, resumedFromBytes }

Examples:
  mai models --recommended
  mai pull llama-3.2-1b-instruct
  mai pull hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf
`;

export async function runPull(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, sha256: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return exitCodes.ok;
  }
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    throw new CliError(
      'give exactly one model key or URI: mai pull <key|uri> (mai models --recommended lists keys)',
      exitCodes.usage,
    );
  }
  if (values.sha256 !== undefined && !sha256HexPattern.test(values.sha256)) {
    throw new CliError(`--sha256 must be 64 hexadecimal digits, not "${values.sha256}"`, exitCodes.usage);
  }

  // Pulling needs no sampling and no engine: the brain is built for its configuration and its models folder.
  const brain = createBrain();
  const stopProgress = showPullProgress(brain);
  let cancelled = false;
  const onSigint = () => {
    cancelled = true;
    void brain.invoke({ name: 'models.pullCancel', payload: {} });
  };
  // The first Ctrl-C stops the pull and keeps the partial file; a second one exits at once.
  const stopListening = onStopSignals(['SIGINT'], onSigint);
  try {
    const result = await brain.invoke({
      name: 'models.pull',
      payload: { key: target, ...(values.sha256 ? { sha256: values.sha256 } : {}) },
    });
    if (!result.ok) {
      throw new CliError(result.error.message, cancelled ? exitCodes.cancelled : exitCodes.failure);
    }
    const pulled = result.value;
    if (values.json) process.stdout.write(`${JSON.stringify(pulled, null, 2)}\n`);
    else process.stdout.write(`${describePull(pulled)}\n`);
    return exitCodes.ok;
  } finally {
    stopListening();
    stopProgress();
    await brain.shutdown();
  }
}

function describePull(pulled: PullResultView): string {
  if (pulled.alreadyPresent) return `${pulled.key} is already downloaded: ${pulled.path}`;
  const check = pulled.verified ? 'sha256 verified' : 'no published checksum to verify against (use --sha256)';
  const resumed = pulled.resumedFromBytes > 0 ? `, resumed after ${formatBytes(pulled.resumedFromBytes)}` : '';
  return `${pulled.key}: ${formatBytes(pulled.sizeBytes)} saved to ${pulled.path} (${check}${resumed}). Mai can use it now: mai chat`;
}
