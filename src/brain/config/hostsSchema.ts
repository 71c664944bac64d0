import { z } from 'zod';
import { expecting, listOf, nonEmptyText } from './schemaParts';
import { gibToBytes } from './units';

/** The engines a host can run for Mai: the embedded engine is this machine's own and is never a host. */
export const hostKinds = ['lmstudio', 'ollama', 'openai'] as const;
export type HostKind = (typeof hostKinds)[number];

/**
 * A host's name: it prefixes its models' keys (`studio-pc/qwen3:8b`) and shows in decisions, so it is one plain
 * word: letters, digits, '.', '_' and '-', no '/' (the key's separator) and no spaces.
 */
const hostNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Where a host's engine answers: http(s), or ws(s) for LM Studio; no credentials in it (they go in token_file). */
function validUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.host !== '' && url.username === '';
  } catch {
    return false;
  }
}

const RawHostSchema = z.strictObject(
  {
    name: z
      .string(expecting('must be a text'))
      .regex(hostNamePattern, expecting("must be one word of letters, digits, '.', '_' or '-' (no '/')")),
    kind: z.enum(hostKinds, expecting(`must be one of ${hostKinds.join(', ')}`)),
    url: z
      .string(expecting('must be a text'))
      .refine(validUrl, expecting('must be an http(s):// URL (ws(s):// for lmstudio) without a user name or password')),
    /** A file holding the host's API token, like an SSH key: the token never sits in this file or in any status. */
    token_file: nonEmptyText('a file path').optional(),
    /** Memory the host gives models, RAM and VRAM together: how Mai tells whether a model has room there. */
    memory_gb: z
      .number(expecting('must be a number of GiB above 0'))
      .gt(0, expecting('must be a number of GiB above 0'))
      .optional(),
  },
  expecting('must be a mapping with name:, kind: and url:'),
);

const RawHostsFileSchema = z.strictObject(
  { hosts: listOf(RawHostSchema, 'hosts').default([]) },
  expecting('must be a mapping with hosts:'),
);

/** Names are unique: they key the models. */
function checkNames(file: z.output<typeof RawHostsFileSchema>, ctx: z.RefinementCtx): void {
  const first = new Map<string, number>();
  file.hosts.forEach((host, index) => {
    const seen = first.get(host.name.toLowerCase());
    if (seen === undefined) first.set(host.name.toLowerCase(), index);
    else
      ctx.addIssue({
        code: 'custom',
        path: ['hosts', index, 'name'],
        message: `must be unique (hosts[${seen}] has it too)`,
      });
  });
}

/** hosts.yaml, validated, in the brain's camelCase-and-bytes shape (token files resolved by hostsConfig). */
export const HostsConfigSchema = RawHostsFileSchema.superRefine(checkNames).transform((file) =>
  file.hosts.map((host) => ({
    name: host.name,
    kind: host.kind,
    url: host.url.replace(/\/+$/, ''),
    tokenFile: host.token_file ?? null,
    capacityBytes: host.memory_gb === undefined ? null : gibToBytes(host.memory_gb),
  })),
);

export type HostsConfig = z.output<typeof HostsConfigSchema>;
export type HostEntry = HostsConfig[number];
