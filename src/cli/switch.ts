import { parseArgs } from 'node:util';
import { SettingsError, writePinnedModel } from '../brain/settings';
import { findRunningInstance } from '../server/instanceFile';
import { maiHomeDir } from './appPaths';
import { CliError, exitCodes } from './exitCodes';
import { connectRemoteMai } from './remoteMai';

const usage = `Usage: mai switch <key|auto>

Pins Mai to a model (it answers with that one until told otherwise), or goes back to automatic choice with "auto".
When Mai is running (mai serve, or the tray app) the running Mai switches at once; otherwise the choice is saved
in $MAI_HOME/settings.json and Mai starts with it next time.

Examples:
  mai switch stories260K   pin the model whose key is stories260K (see "mai models" for the keys)
  mai switch auto          let Mai choose again
`;

export async function runSwitch(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return exitCodes.ok;
  }
  if (positionals.length !== 1 || positionals[0]?.trim() === '') {
    throw new CliError(
      `switch takes one model key or "auto", got ${positionals.length === 0 ? 'none' : positionals.map((p) => `"${p}"`).join(' ')}. Example: mai switch auto`,
      exitCodes.usage,
    );
  }
  const key = positionals[0]!.trim();
  const maiHome = maiHomeDir();

  const instance = await findRunningInstance(maiHome);
  if (instance) {
    const result = await connectRemoteMai(instance).invoke({ name: 'models.switch', payload: { key } });
    if (!result.ok) throw new CliError(`the running Mai (pid ${instance.pid}) refused: ${result.error.message}`);
    const state = result.value;
    const now = state.current ? ` (answering with ${state.current.key})` : '';
    process.stdout.write(
      state.mode === 'auto'
        ? `switched the running Mai (pid ${instance.pid}) back to automatic${now}\n`
        : `switched the running Mai (pid ${instance.pid}) to ${state.current?.key ?? key}, pinned\n`,
    );
    return exitCodes.ok;
  }

  const file = savePinnedModel(maiHome, key === 'auto' ? null : key);
  process.stdout.write(
    key === 'auto'
      ? `no running Mai found; saved automatic choice in ${file} for the next start\n`
      : `no running Mai found; saved ${key} as the pinned model in ${file}; Mai starts with it next time\n`,
  );
  return exitCodes.ok;
}

function savePinnedModel(maiHome: string, key: string | null): string {
  try {
    return writePinnedModel(maiHome, key);
  } catch (error) {
    if (error instanceof SettingsError) throw new CliError(error.message);
    throw error;
  }
}
