import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

/**
 * `$MAI_HOME/instance.json`: how a running `mai serve` (or the tray app) can be found and driven by other hosts of
 * Mai (`mai switch`). It carries the access token, so only its owner may read it (mode 0600).
 */
export interface Instance {
  pid: number;
  port: number;
  host: string;
  token: string;
  startedAtMs: number;
  version: string;
}

/**
 * The file's object as an Instance, or what is wrong with it. Checked by hand rather than with zod: this is the
 * first thing every attached command reads, and loading zod costs it ~50 ms (--cpu-prof) for six fields.
 */
function asInstance(raw: unknown): Instance | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'the file: must be a JSON object';
  const value = raw as Record<string, unknown>;
  const integer = (key: string, min: number, max: number) =>
    typeof value[key] === 'number' && Number.isInteger(value[key]) && value[key] >= min && value[key] <= max;
  const text = (key: string, allowEmpty = false) => typeof value[key] === 'string' && (allowEmpty || value[key] !== '');
  if (!integer('pid', 1, Number.MAX_SAFE_INTEGER)) return 'pid: must be a positive integer';
  if (!integer('port', 1, 65535)) return 'port: must be an integer from 1 to 65535';
  if (!text('host')) return 'host: must be a non-empty string';
  if (!text('token')) return 'token: must be a non-empty string';
  if (typeof value.startedAtMs !== 'number' || !Number.isFinite(value.startedAtMs))
    return 'startedAtMs: must be a number';
  if (!text('version', true)) return 'version: must be a string';
  const { pid, port, host, token, startedAtMs, version } = value as unknown as Instance;
  return { pid, port, host, token, startedAtMs, version };
}

export const instanceFileName = 'instance.json';

export function instanceFilePath(maiHome: string): string {
  return path.join(maiHome, instanceFileName);
}

export function writeInstanceFile(maiHome: string, instance: Instance): string {
  const file = instanceFilePath(maiHome);
  mkdirSync(maiHome, { recursive: true });
  writeFileSync(file, `${JSON.stringify(instance, null, 2)}\n`, { mode: 0o600 });
  // writeFileSync's mode applies only when it creates the file; an older file keeps its mode otherwise.
  chmodSync(file, 0o600);
  return file;
}

/** Removes the file only if it still describes this process, so a newer instance's file survives an old one's exit. */
export function removeInstanceFile(maiHome: string, pid: number = process.pid): void {
  const found = readInstanceFile(maiHome);
  if (found.kind === 'found' && found.instance.pid !== pid) return;
  rmSync(instanceFilePath(maiHome), { force: true });
}

export type InstanceRead =
  | { kind: 'none' }
  | { kind: 'found'; instance: Instance }
  /** The file exists but cannot be used; `problem` says what is wrong with it. */
  | { kind: 'invalid'; file: string; problem: string };

export function readInstanceFile(maiHome: string): InstanceRead {
  const file = instanceFilePath(maiHome);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'invalid', file, problem: (error as Error).message };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', file, problem: `not valid JSON: ${(error as Error).message}` };
  }
  const instance = asInstance(raw);
  if (typeof instance === 'string') return { kind: 'invalid', file, problem: instance };
  return { kind: 'found', instance };
}

/** Signal 0 checks existence only; EPERM means a process of another user holds the pid, which is alive. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A loopback connect answers in milliseconds; a second means nothing is listening there in any useful sense. */
const portProbeTimeoutMs = 1000;

export function portAnswers(host: string, port: number, timeoutMs = portProbeTimeoutMs): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The host to connect to: a server bound to every interface is reachable on loopback. */
export function connectHost(instance: Instance): string {
  if (instance.host === '0.0.0.0') return '127.0.0.1';
  if (instance.host === '::') return '::1';
  return instance.host;
}

/**
 * The running instance, or null when there is none or the file is stale (its process is gone, or its port does not
 * answer: the pid may have been reused by an unrelated process after a crash).
 */
export async function findRunningInstance(maiHome: string): Promise<Instance | null> {
  const found = readInstanceFile(maiHome);
  if (found.kind !== 'found') return null;
  const { instance } = found;
  if (!pidAlive(instance.pid)) return null;
  return (await portAnswers(connectHost(instance), instance.port)) ? instance : null;
}
