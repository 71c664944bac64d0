import { z } from 'zod';
import { rpc, type Endpoint, type Namespace } from './endpoints';
import type { Engine } from './engine';
import type { ServerFaults } from './faults';
import { instanceInfo, type InstanceRegistry } from './instances';
import { toKvConfig } from './kvConfig';
import { getOrLoadEndpoint, loadModelEndpoint } from './loadChannels';
import type { RegisteredModel } from './modelRegistry';
import { engineInput, predictEndpoint } from './predictChannel';
import { chatHistorySchema, kvConfigStackSchema, modelSpecifierSchema } from './wireSchemas';
import { fail, identifierNotFound } from './wireErrors';

export interface LlmState {
  models: readonly RegisteredModel[];
  instances: InstanceRegistry;
  engine: Engine;
  faults: () => ServerFaults;
}

const specified = z.object({ specifier: modelSpecifierSchema });
const textInput = z.object({ specifier: modelSpecifierSchema, inputString: z.string() });

/** `llm` (§4.2–§4.5): loaded models, their configs, loading, unloading, prediction, tokenizer and template. */
export function llmNamespace(state: LlmState): Namespace {
  const { instances } = state;
  const endpoints: [string, Endpoint][] = [
    ['listLoaded', rpc(z.undefined(), () => instances.all().map(instanceInfo))],
    [
      'getModelInfo',
      rpc(z.object({ specifier: modelSpecifierSchema, throwIfNotFound: z.boolean() }), (parameter) => {
        const instance = instances.resolve(parameter.specifier, parameter.throwIfNotFound);
        return instance === undefined ? undefined : instanceInfo(instance);
      }),
    ],
    ['getLoadConfig', rpc(specified, ({ specifier }) => toKvConfig(instances.resolve(specifier, true).loadConfig))],
    [
      'unloadModel',
      rpc(z.object({ identifier: z.string() }), async ({ identifier }) => {
        const instance = instances.byIdentifier(identifier);
        if (!instance) throw identifierNotFound(identifier, instances.identifiers());
        instances.remove(instance);
        await instance.engineModel.unload();
        return undefined;
      }),
    ],
    [
      'tokenize',
      rpc(textInput, async ({ specifier, inputString }) => ({
        tokens: await instances.resolve(specifier, true).engineModel.tokenize(inputString),
      })),
    ],
    [
      'countTokens',
      rpc(textInput, async ({ specifier, inputString }) => ({
        tokenCount: await instances.resolve(specifier, true).engineModel.countTokens(inputString),
      })),
    ],
    [
      'applyPromptTemplate',
      rpc(
        z.object({
          specifier: modelSpecifierSchema,
          history: chatHistorySchema,
          predictionConfigStack: kvConfigStackSchema,
          opts: z.object({
            omitBosToken: z.boolean().optional(),
            omitEosToken: z.boolean().optional(),
            toolDefinitions: z.array(z.unknown()).optional(),
          }),
        }),
        async ({ specifier, history, predictionConfigStack }) => {
          const instance = instances.resolve(specifier, true);
          const input = engineInput(history, predictionConfigStack);
          const formatted = input.kind === 'raw' ? input.prompt : await instance.engineModel.formatChat(input.messages);
          return { formatted };
        },
      ),
    ],
    [
      'preloadDraftModel',
      rpc(z.object({ specifier: modelSpecifierSchema, draftModelKey: z.string() }), () => {
        throw fail('Speculative decoding is not supported by this server');
      }),
    ],
    ['loadModel', loadModelEndpoint(state)],
    ['getOrLoad', getOrLoadEndpoint(state)],
    ['predict', predictEndpoint(instances)],
  ];
  return new Map(endpoints);
}
