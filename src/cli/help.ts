import { maiVersion } from '../brain/version';

export const commandSummaries = {
  chat: 'chat with the best model for this machine (interactive, or -m "text" for one answer)',
  status: 'show the machine, its tier and Mai’s state (--json, --watch)',
  models: 'list the models Mai knows, with memory estimates (--json); --recommended: ones to download',
  pull: 'download a model into $MAI_HOME/models, resumable and checksum-verified: mai pull <key|uri>',
  switch: 'switch the running Mai to a model, or back to automatic: mai switch <key|auto>',
  serve: 'run Mai headless and serve its UI to a browser on 127.0.0.1',
} as const;

export type CommandName = keyof typeof commandSummaries;

export function helpText(): string {
  const width = Math.max(...Object.keys(commandSummaries).map((name) => name.length));
  const commands = Object.entries(commandSummaries)
    .map(([name, summary]) => `  ${name.padEnd(width)}  ${summary}`)
    .join('\n');
  return `Mai ${maiVersion} — a desktop companion that chats through local LLMs and keeps choosing the right one.

Usage: mai <command> [options]

Commands:
${commands}

Options:
  --help, -h     show this help (also: mai <command> --help)
  --version, -v  print Mai's version

Examples:
  mai status                 the machine's CPU, memory and GPUs, and the tier Mai puts it in
  mai status --json          the same as JSON, for scripts
  mai serve --port 0         serve the dashboard; open the printed http://127.0.0.1:PORT/#token=… URL
  mai serve --host 0.0.0.0   serve beyond this machine (asks for care: anyone with the token can drive Mai)
  mai chat                   talk to Mai in the terminal
  mai chat -m "Once upon a time"
  mai models --json
  mai models --recommended   models to download that fit this machine, best first
  mai pull llama-3.2-1b-instruct
  mai pull hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf
  mai switch stories260K     pin a model (the running Mai at once, else from the next start)
  mai switch auto            let Mai choose again

Environment:
  MAI_HOME         Mai's data folder (default: ~/.config/Mai on Linux)
  MAI_MODELS_DIR   extra folders of GGUF models, separated by '${process.platform === 'win32' ? ';' : ':'}'
  MAI_HF_ENDPOINT  where hf: URIs are fetched from (default https://huggingface.co; HF_ENDPOINT works too)

Files (in MAI_HOME):
  instance.json    written by a running "mai serve" (readable by you only) so "mai switch" can reach it
  settings.json    {"pinnedModel": "<key>" | null}: the model "mai switch" pinned while no Mai ran

Exit codes:
  0  success
  1  failure (the message says what went wrong and what to do)
  2  usage error (unknown command or option)
  3  the command is not available yet in this version
  130  stopped by Ctrl-C (a pull keeps its partial file; run it again to resume)
`;
}
