import { GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { defaultBatchSize, type EstimateRequest } from '../../src/brain/backends/estimate';

/** node-llama-cpp's own figure, unadjusted: GgufInsights' model + context RAM for this request (its V2 dry run). */
export async function engineOwnEstimateBytes(
  file: string,
  request: EstimateRequest,
  useMmap: boolean,
  llama: Llama,
): Promise<number> {
  const insights = await GgufInsights.from(await readGgufFileInfo(file, { logWarnings: false }), llama);
  const weights = await insights.estimateModelResourceRequirementsV2({ gpuLayers: request.gpuLayers, useMmap });
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize: request.contextLength,
    modelGpuLayers: request.gpuLayers,
    batchSize: request.batchSize ?? defaultBatchSize(request.contextLength),
    sequences: 1,
    useMmap,
  });
  return weights.cpuRam + context.cpuRam;
}
