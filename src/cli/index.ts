#!/usr/bin/env node
/** `mai`: the brain in a terminal. Each command is a thin host: parse arguments, ask the brain, print. */
import { readCpuBaseline } from '../brain/resources/cpuBaseline';
import { maiVersion } from '../brain/version';
import { CliError, exitCodes } from './exitCodes';
import { commandSummaries, helpText, type CommandName } from './help';

function isCommand(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(commandSummaries, name);
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(helpText());
    return exitCodes.ok;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${maiVersion}\n`);
    return exitCodes.ok;
  }
  if (!isCommand(first)) {
    throw new CliError(`unknown command "${first}". Run "mai --help" for the list.`, exitCodes.usage);
  }
  // Each command loads only what it uses: `mai --help` never pays for the engine, `mai switch` for the brain.
  switch (first) {
    case 'status': {
      // The CPU window starts now, before anything loads: the status needs no further wait for its CPU figure.
      const cpuBaseline = readCpuBaseline();
      return (await import('./status')).runStatus(rest, cpuBaseline);
    }
    case 'serve':
      return (await import('./serve')).runServe(rest);
    case 'models':
      return (await import('./models')).runModels(rest);
    case 'chat':
      return (await import('./chat')).runChat(rest);
    case 'switch':
      return (await import('./switch')).runSwitch(rest);
    case 'pull':
      return (await import('./pull')).runPull(rest);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`mai: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`mai: ${error.message}. Run "mai --help".\n`);
      process.exitCode = exitCodes.usage;
    } else {
      process.stderr.write(
        `mai: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = exitCodes.failure;
    }
  },
);
