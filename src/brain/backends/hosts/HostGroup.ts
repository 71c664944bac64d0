import type { HostStatus } from '../../../shared/contract';
import type { EstimateRequest, MemoryEstimate } from '../estimateFormula';
import { BackendError, type BackendHealth, type BackendId, type ChatMessage, type LoadedModel } from '../ModelBackend';
import type { LoadOptions, ModelBackend, ModelInfo, RespondOptions, RespondResult } from '../ModelBackend';
import { hostedLoaded, hostedModel, onHost, usedBytesOf, type HostPlacement } from './hostKeys';

/** One engine of a group: this machine's (host null), or one on a host of hosts.yaml. */
export interface GroupMember {
  host: HostPlacement | null;
  backend: ModelBackend;
}

/**
 * Longest one member may take to answer its health or lists: 8 s, below the catalog's 12 s deadline on the whole
 * group, so one slow host is left out (and says why) instead of taking the others with it.
 */
export const memberDeadlineMs = 8_000;

interface MemberState {
  health: BackendHealth;
  models: ModelInfo[];
  loaded: LoadedModel[];
}

function bounded<T>(work: Promise<T>, what: string, engine: BackendId): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BackendError('timeout', `${what} did not answer within ${memberDeadlineMs} ms`, engine)),
      memberDeadlineMs,
    );
    timer.unref();
  });
  work.catch(() => {});
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * One engine kind on several machines, as one backend: the brain keys everything by backend id and model key, so
 * the group routes by key (`<host>/<model>` for a host's models, the plain key for this machine's) and each host
 * stays apart inside. A host that fails or stalls is left out of the listing with its reason; the others answer.
 */
export class HostGroup implements ModelBackend {
  private readonly states = new Map<GroupMember, MemberState>();
  private snapshotting: Promise<void> | null = null;

  constructor(
    readonly id: BackendId,
    private readonly members: readonly GroupMember[],
  ) {}

  /** Each member's health; the first time, its listing too, so the hosts' counts are there from the start. */
  async health(): Promise<BackendHealth> {
    const first = this.states.size === 0;
    if (first) await this.snapshot();
    const healths = first
      ? this.members.map((member) => (this.states.get(member) as MemberState).health)
      : await Promise.all(this.members.map((member) => this.memberHealth(member)));
    const local = this.members.findIndex((m) => m.host === null);
    const ready = healths.some((h) => h.status === 'ready');
    const hosts = this.hostStatuses(healths);
    const localHealth = local === -1 ? null : healths[local];
    const hostsText = hosts.map((h) => `${h.name} ${h.status}`).join(', ');
    const detail = [localHealth?.detail, hosts.length > 0 ? `hosts: ${hostsText}` : null].filter(Boolean).join('; ');
    const status = ready ? 'ready' : (localHealth?.status ?? 'unavailable');
    return { id: this.id, status, detail, hosts };
  }

  async listModels(): Promise<ModelInfo[]> {
    await this.snapshot();
    return this.members.flatMap((member) => {
      const state = this.states.get(member);
      if (!state || !member.host) return state?.models ?? [];
      const used = usedBytesOf(state.loaded, member.backend.reportsLoadedMemory);
      return state.models.map((model) => hostedModel(model, member.host as HostPlacement, used));
    });
  }

  async listLoaded(): Promise<LoadedModel[]> {
    await this.snapshot();
    return this.members.flatMap((member) => {
      const loaded = this.states.get(member)?.loaded ?? [];
      return member.host ? loaded.map((m) => hostedLoaded(m, member.host as HostPlacement)) : loaded;
    });
  }

  async load(key: string, options?: LoadOptions): Promise<LoadedModel> {
    const { member, name } = this.route(key);
    const loaded = await member.backend.load(name, options);
    return member.host ? hostedLoaded(loaded, member.host) : loaded;
  }

  unload(identifier: string): Promise<void> {
    const { member, name } = this.route(identifier);
    return member.backend.unload(name);
  }

  respond(identifier: string, messages: ChatMessage[], options?: RespondOptions): Promise<RespondResult> {
    const { member, name } = this.route(identifier);
    return member.backend.respond(name, messages, options);
  }

  countTokens(identifier: string, text: string): Promise<number> {
    const { member, name } = this.route(identifier);
    return member.backend.countTokens(name, text);
  }

  contextLength(identifier: string): Promise<number> {
    const { member, name } = this.route(identifier);
    return member.backend.contextLength(name);
  }

  async estimateMemory(model: ModelInfo, request: EstimateRequest): Promise<MemoryEstimate | null> {
    const { member, name } = this.route(model.key);
    return (await member.backend.estimateMemory?.({ ...model, key: name }, request)) ?? null;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.members.map((member) => member.backend.close()));
  }

  /** The member a key or identifier belongs to, and its name there. */
  private route(name: string): { member: GroupMember; name: string } {
    for (const member of this.members) {
      const there = member.host ? onHost(member.host.name, name) : null;
      if (there !== null) return { member, name: there };
    }
    const local = this.members.find((m) => m.host === null);
    if (!local) throw new BackendError('not_found', `no host of ${this.id} has ${name}`, this.id);
    return { member: local, name };
  }

  private memberHealth(member: GroupMember): Promise<BackendHealth> {
    const what = member.host ? `${member.host.name}'s ${this.id}` : this.id;
    return bounded(member.backend.health(), `${what} health`, this.id).catch((error: unknown): BackendHealth => ({
      id: this.id,
      status: 'error',
      detail: messageOf(error),
    }));
  }

  /** Every member's health and lists at once; a list asked for meanwhile waits for this one. */
  private snapshot(): Promise<void> {
    this.snapshotting ??= Promise.all(this.members.map((member) => this.snapshotOne(member))).then(
      () => {
        this.snapshotting = null;
      },
      () => {
        this.snapshotting = null;
      },
    );
    return this.snapshotting;
  }

  private async snapshotOne(member: GroupMember): Promise<void> {
    const health = await this.memberHealth(member);
    if (health.status !== 'ready') {
      this.states.set(member, { health, models: [], loaded: [] });
      return;
    }
    const what = `${member.host?.name ?? 'this machine'}'s ${this.id} model list`;
    try {
      const [models, loaded] = await bounded(
        Promise.all([member.backend.listModels(), member.backend.listLoaded()]),
        what,
        this.id,
      );
      this.states.set(member, { health, models, loaded });
    } catch (error) {
      this.states.set(member, {
        health: { id: this.id, status: 'error', detail: messageOf(error) },
        models: [],
        loaded: [],
      });
    }
  }

  private hostStatuses(healths: readonly BackendHealth[]): HostStatus[] {
    return this.members.flatMap((member, index): HostStatus[] => {
      if (!member.host) return [];
      const state = this.states.get(member);
      // A listing that failed after a good health check says more than the health does.
      const health = state?.health.status === 'error' ? state.health : (healths[index] as BackendHealth);
      return [
        {
          name: member.host.name,
          kind: this.id,
          url: member.host.url,
          status: health.status,
          detail: health.detail,
          models: state?.models.length ?? 0,
          loaded: state?.loaded.length ?? 0,
          memory: {
            usedBytes: state ? usedBytesOf(state.loaded, member.backend.reportsLoadedMemory) : null,
            capacityBytes: member.host.capacityBytes,
          },
        },
      ];
    });
  }
}
