#!/usr/bin/env node
/** `mai`: the brain in a terminal. Each command is a thin host: parse arguments, ask the brain, print. */
import { maiVersion } from '../brain';
import { CliError, exitCodes } from './exitCodes';
import { commandSummaries, helpText, type CommandName } from './help';
import { runChat } from './chat';
import { runModels } from './models';
import { runPull } from './pull';
import { runServe } from './serve';
import { runStatus } from './status';
import { runSwitch } from './switch';

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
  switch (first) {
    case 'status':
      return runStatus(rest);
    case 'serve':
      return runServe(rest);
    case 'models':
      return runModels(rest);
    case 'chat':
      return runChat(rest);
    case 'switch':
      return runSwitch(rest);
    case 'pull':
      return runPull(rest);
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
