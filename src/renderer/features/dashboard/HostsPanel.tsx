import type { HostStatus } from '../../../shared/contract';
import { formatBytes } from '../../../shared/format';
import { useResources } from '../../store';

const kindLabels: Record<HostStatus['kind'], string> = {
  lmstudio: 'LM Studio',
  ollama: 'Ollama',
  openai: 'OpenAI-compatible',
  embedded: 'embedded',
};

/** "4.0 GiB of 64.0 GiB", "4.0 GiB used", "64.0 GiB", or a dash where the host says nothing. */
function memoryText({ usedBytes, capacityBytes }: HostStatus['memory']): string {
  if (usedBytes !== null && capacityBytes !== null) return `${formatBytes(usedBytes)} of ${formatBytes(capacityBytes)}`;
  if (usedBytes !== null) return `${formatBytes(usedBytes)} used`;
  return capacityBytes === null ? '—' : formatBytes(capacityBytes);
}

/** The other machines Mai may answer on: whether each is reachable, its models, its memory. */
export function HostsList({ hosts }: { hosts: readonly HostStatus[] }) {
  return (
    <section className="panel hosts" aria-label="Hosts">
      <h2>Hosts</h2>
      <table>
        <thead>
          <tr>
            <th>Host</th>
            <th>Engine</th>
            <th>Reachable</th>
            <th>Models</th>
            <th>Memory</th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => (
            <tr key={`${host.kind}:${host.name}`} data-testid="host" data-status={host.status}>
              <td title={host.url}>{host.name}</td>
              <td>{kindLabels[host.kind]}</td>
              <td title={host.detail}>{host.status === 'ready' ? 'yes' : `no: ${host.detail}`}</td>
              <td>
                {host.models} ({host.loaded} loaded)
              </td>
              <td>{memoryText(host.memory)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The hosts of hosts.yaml, from the status; nothing at all when there are none. */
export function HostsPanel() {
  const backends = useResources((s) => s.status?.backends);
  const hosts = (backends ?? []).flatMap((backend) => backend.hosts ?? []);
  return hosts.length === 0 ? null : <HostsList hosts={hosts} />;
}
