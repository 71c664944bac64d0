import type { Command } from './runBounded';

/** electron-builder's flag for the host platform's targets (electron-builder.yml lists them per platform). */
export function hostPlatformFlag(platform: NodeJS.Platform): '--linux' | '--mac' | '--win' | null {
  switch (platform) {
    case 'linux':
      return '--linux';
    case 'darwin':
      return '--mac';
    case 'win32':
      return '--win';
    default:
      return null;
  }
}

/**
 * The electron-builder run for this host. `electronDist` is the runtime `npm start` fetched with Electron's own
 * installer: handing it over spares electron-builder a second download of the same checksum-verified files.
 */
export function builderCommand(options: { builderCli: string; platformFlag: string; electronDist: string }): Command {
  return {
    command: process.execPath,
    args: [
      options.builderCli,
      options.platformFlag,
      '--publish',
      'never',
      `--config.electronDist=${options.electronDist}`,
    ],
    // No certificate on a developer's machine or in CI: skip the keychain search instead of failing on it.
    env: { CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
  };
}
