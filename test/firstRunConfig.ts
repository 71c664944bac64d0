import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureModels } from './fixtures';

/** The catalog key the served fixture gets: a models.yaml entry of its own, as a shipped download has. */
export const servedFixtureKey = 'test/stories260k';

/**
 * A user models.yaml in `maiHome/config` that lists stories260K as a download from `url` (a local test server), so a
 * machine with no models has one real, small model to fetch. `sha256` defaults to the fixture's own.
 */
export function writeDownloadableFixtureConfig(
  maiHome: string,
  url: string,
  sha256: string = fixtureModels.stories260K.sha256,
): void {
  mkdirSync(path.join(maiHome, 'config'), { recursive: true });
  writeFileSync(
    path.join(maiHome, 'config', 'models.yaml'),
    `models:
  - key: ${servedFixtureKey}
    display_name: Stories 260K
    category: small
    min_memory_gb: 0.1
    min_vram_gb: 0.1
    context_window: 512
    capabilities: [chat]
    download: { uri: "${url}", size_bytes: ${fixtureModels.stories260K.bytes}, sha256: ${sha256} }
`,
  );
}
