import type { ChatMessageView } from '../shared/contract';
import { pinnedProblem } from './chatPreflight';
import { ask, type MaiClient } from './maiClient';
import { modelsTable } from './modelsReport';
import { statusTable } from './statusReport';

export const replHelp = `Type a message and press Enter; Mai answers with the best model for this machine.
Commands:
  /models              the models Mai knows, with memory estimates and whether they fit
  /status              the machine, its tier and Mai's state
  /switch <key|auto>   pin a model for this session, or let Mai choose again
  /new                 start a new conversation
  /history             the messages of this conversation, each answer with its model
  /help                this help
  /quit                leave (also /exit, Ctrl-D)
Ctrl-C cancels the answer being written; Ctrl-C while no answer is being written leaves.
`;

/** What a slash command needs from the session: the Mai it talks to and the conversation the REPL is in. */
export interface ReplSession {
  mai: MaiClient;
  conversationId: string | null;
}

export type CommandOutcome = { output: string; quit?: boolean };

function historyText(messages: readonly ChatMessageView[]): string {
  const said = messages.filter((m) => m.role !== 'system');
  if (said.length === 0) return '(nothing said yet in this conversation)\n';
  return said.map((m) => `${m.role === 'user' ? 'you' : (m.model?.key ?? 'mai')}: ${m.content.trim()}\n`).join('');
}

async function switchTo(session: ReplSession, key: string): Promise<string> {
  if (key === '') return 'usage: /switch <key|auto> (/models lists the keys)\n';
  const state = await ask(session.mai, { name: 'models.switch', payload: { key } });
  if (state.mode === 'auto') return `back to automatic choice${state.current ? ` (now ${state.current.key})` : ''}\n`;
  const { models } = await ask(session.mai, { name: 'models.list', payload: {} });
  const problem = pinnedProblem(models, key);
  return problem ? `pinned ${key}, but ${problem}\n` : `pinned ${key}: Mai answers with it until /switch auto\n`;
}

/** Runs one slash command; errors come back as text for the person, the REPL goes on. */
export async function runReplCommand(session: ReplSession, line: string): Promise<CommandOutcome> {
  const [command = '', ...rest] = line.trim().split(/\s+/);
  const argument = rest.join(' ');
  try {
    switch (command) {
      case '/help':
        return { output: replHelp };
      case '/quit':
      case '/exit':
        return { output: '', quit: true };
      case '/models': {
        const { models } = await ask(session.mai, { name: 'models.list', payload: {} });
        return { output: modelsTable(models) };
      }
      case '/status':
        return { output: statusTable(await ask(session.mai, { name: 'status.get', payload: {} })) };
      case '/switch':
        return { output: await switchTo(session, argument) };
      case '/new': {
        const { id } = await ask(session.mai, { name: 'conversations.new', payload: {} });
        session.conversationId = id;
        return { output: `new conversation ${id}\n` };
      }
      case '/history': {
        if (session.conversationId === null) return { output: historyText([]) };
        const { messages } = await ask(session.mai, {
          name: 'conversations.open',
          payload: { id: session.conversationId },
        });
        return { output: historyText(messages) };
      }
      default:
        return { output: `unknown command ${command}; /help lists the commands\n` };
    }
  } catch (error) {
    return { output: `${command}: ${error instanceof Error ? error.message : String(error)}\n` };
  }
}
