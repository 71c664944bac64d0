/** Fetching models: recommendations for this machine, and resumable, checksum-verified pulls into the models folder. */
export { defaultHfEndpoint, looksLikeUri, resolveDownloadUri } from './downloadUri';
export { PullError, type PullErrorCode } from './PullError';
export {
  modelFilePath,
  partialFilePath,
  pullModel,
  resolvePullTarget,
  type PullProgress,
  type PullResult,
  type PullTarget,
} from './pullModel';
export { PullService, type PullEvent } from './PullService';
export { recommendDownloads, type Recommendation } from './recommend';
