export { createLmStudioBackend } from './LmStudioBackend';
export type { LmStudioBackendOptions } from './lmStudioBackendOptions';
export { discoverLmStudio, probeGreeting, type DiscoveryOptions, type DiscoveryResult } from './discoverLmStudio';
export {
  candidateAddresses,
  lmStudioDefaultPort,
  lmStudioSdkPorts,
  parseLmStudioUrl,
  type LmStudioAddress,
} from './lmStudioAddress';
