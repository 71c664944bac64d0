/**
 * The engines' libraries, loaded at their first use rather than when the brain is imported: node-llama-cpp costs a
 * command ~700 ms before it does anything and the LM Studio SDK ~200 ms (measured by import on this machine), and
 * `mai status`, `mai switch` or an attached CLI need neither. Types come from `import type`, which costs nothing.
 */
import type * as LmStudioSdkModule from '@lmstudio/sdk';
import type * as NodeLlamaCppModule from 'node-llama-cpp';

export type NodeLlamaCpp = typeof NodeLlamaCppModule;
export type LmStudioSdk = typeof LmStudioSdkModule;

let nodeLlamaCpp: NodeLlamaCpp | null = null;
let nodeLlamaCppLoading: Promise<NodeLlamaCpp> | null = null;
let lmStudioSdkLoading: Promise<LmStudioSdk> | null = null;

export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  nodeLlamaCppLoading ??= import('node-llama-cpp').then((module) => (nodeLlamaCpp = module));
  return nodeLlamaCppLoading;
}

/**
 * node-llama-cpp for code that only ever runs on what it made (a loaded model, a file header it read): by then it
 * is loaded. A call before that is a bug in Mai, named as one.
 */
export function loadedNodeLlamaCpp(): NodeLlamaCpp {
  if (!nodeLlamaCpp) throw new Error('node-llama-cpp was used before loadNodeLlamaCpp() loaded it');
  return nodeLlamaCpp;
}

export function loadLmStudioSdk(): Promise<LmStudioSdk> {
  lmStudioSdkLoading ??= import('@lmstudio/sdk');
  return lmStudioSdkLoading;
}
