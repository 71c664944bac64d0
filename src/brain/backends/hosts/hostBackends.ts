import { readFileSync } from 'node:fs';
import type { HostEntry } from '../../config';
import type { Logger } from '../../logger';
import { createLmStudioBackend } from '../lmstudio';
import type { BackendId, ModelBackend } from '../ModelBackend';
import { createOllamaBackend } from '../ollama/OllamaBackend';
import { createOpenAiBackend } from '../openai/OpenAiBackend';
import { HostGroup, type GroupMember } from './HostGroup';

/** A token file's content, trimmed; none when it cannot be read (hosts.yaml's loading already named that problem). */
export function readTokenFile(file: string | null): string | null {
  if (file === null) return null;
  try {
    const token = readFileSync(file, 'utf8').trim();
    return token === '' ? null : token;
  } catch {
    return null;
  }
}

/** LM Studio's SDK speaks WebSocket; a host written as http(s):// means the same server. */
const asWebSocket = (url: string) => url.replace(/^http(s?):\/\//, 'ws$1://');

/** The engine of one host, named after it in every message; never reading this machine's settings for it. */
export function hostBackend(host: HostEntry, logger: Logger): ModelBackend {
  const token = readTokenFile(host.tokenFile);
  switch (host.kind) {
    case 'ollama':
      return createOllamaBackend({ url: host.url, hostName: host.name, token, logger });
    case 'openai':
      return createOpenAiBackend({ url: host.url, hostName: host.name, token, logger });
    case 'lmstudio':
      // No discovery, no LM Studio folders of this machine, no LM_API_TOKEN from this machine's environment.
      return createLmStudioBackend({
        url: asWebSocket(host.url),
        discover: false,
        modelsDirs: [],
        env: {},
        logger,
        ...(token ? { apiToken: token } : {}),
      });
  }
}

/** The hosts' members, each under its host's name and placement. */
export function hostMembers(hosts: readonly HostEntry[], logger: Logger): { kind: BackendId; member: GroupMember }[] {
  return hosts.map((host) => ({
    kind: host.kind,
    member: {
      host: { name: host.name, url: host.url, capacityBytes: host.capacityBytes },
      backend: hostBackend(host, logger),
    },
  }));
}

/**
 * One backend for a kind of engine: this machine's alone when no host runs that kind (nothing changes for a person
 * without hosts.yaml), a group of this machine's and the hosts' otherwise, none when neither exists.
 */
export function engineOfKind(
  kind: BackendId,
  local: ModelBackend | null,
  hosted: readonly { kind: BackendId; member: GroupMember }[],
): ModelBackend | null {
  const members = hosted.filter((h) => h.kind === kind).map((h) => h.member);
  if (members.length === 0) return local;
  return new HostGroup(kind, [...(local ? [{ host: null, backend: local }] : []), ...members]);
}
