import { z } from 'zod';
import { channel, rpc, type Endpoint, type Namespace } from './endpoints';
import type { RegisteredModel } from './modelRegistry';

export interface SystemState {
  version: { version: string; build: number };
  models(): RegisteredModel[];
}

/** `system` (§4.1): version, downloaded models, the `alive` channel, notifications and experiment flags. */
export function systemNamespace(state: SystemState): Namespace {
  const experimentFlags = new Set<string>();
  const endpoints: [string, Endpoint][] = [
    ['version', rpc(z.undefined(), () => state.version)],
    [
      'listDownloadedModels',
      rpc(z.undefined(), (_parameter, context) => {
        const listing = state.models().map((model) => model.info);
        const stall = context.faults.stallModelList;
        if (stall === 'silent') return new Promise(() => {});
        // A format SDK 1.5.0's enum lacks: its zod schema rejects the whole reply, so the call never settles (§7.1).
        if (stall === 'unreadable') return [...listing, { ...listing[0], modelKey: 'newer-format', format: 'pte' }];
        return listing;
      }),
    ],
    [
      'alive',
      // Held open while the socket lives; the SDK's whenDisconnected() settles when it closes or errors.
      channel(z.undefined(), (_parameter, open) => {
        return new Promise<void>((resolve) => {
          if (open.socketClosed.aborted) resolve();
          open.socketClosed.addEventListener('abort', () => resolve(), { once: true });
        });
      }),
    ],
    [
      'notify',
      rpc(
        z.object({ title: z.string(), description: z.string().optional(), noAutoDismiss: z.boolean().optional() }),
        () => undefined,
      ),
    ],
    ['getExperimentFlags', rpc(z.undefined(), () => [...experimentFlags])],
    [
      'setExperimentFlag',
      rpc(z.object({ code: z.string(), value: z.boolean() }), ({ code, value }) => {
        if (value) experimentFlags.add(code);
        else experimentFlags.delete(code);
        return undefined;
      }),
    ],
  ];
  return new Map(endpoints);
}
