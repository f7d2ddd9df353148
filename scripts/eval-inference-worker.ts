// One model on an InferenceWorker for the evaluation scripts (model-eval, model-eval-sentiment):
// the model directory checked first, both cores, generous timeouts for slow real models, no logs.
import { silentLogger } from '../src/core/logger.js';
import type { ModelDtype, ModelLocation } from '../src/nlp/model/config.js';
import { InferenceWorker } from '../src/nlp/model/inference-worker.js';
import { checkModelDir } from '../src/nlp/model/model-dir.js';

export async function startEvalWorker(role: 'sentiment' | 'embedding', location: ModelLocation, dtype: ModelDtype): Promise<InferenceWorker> {
  const info = checkModelDir(location, dtype, role);
  return InferenceWorker.start({
    [role]: { location, maxTokens: Math.min(512, info.maxPositionEmbeddings ?? 512) },
    dtype,
    threads: 2,
    loadTimeoutMs: 300_000,
    inferenceTimeoutMs: 300_000,
    logger: silentLogger(),
  });
}
