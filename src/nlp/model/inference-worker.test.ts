import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, PipelineError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { locateModel } from './config.js';
import { InferenceWorker, resolveTransformers } from './inference-worker.js';
import { SHARED_MODELS, transformersInstalled } from './test-helpers.js';

const HAVE_RUNTIME = transformersInstalled();

describe.skipIf(!HAVE_RUNTIME)('InferenceWorker on the tiny models', () => {
  let worker: InferenceWorker;
  beforeAll(async () => {
    worker = await InferenceWorker.start({
      sentiment: { location: locateModel('tiny-zh-bert-sentiment', SHARED_MODELS), maxTokens: 512 },
      embedding: { location: locateModel('tiny-zh-bert-embed', SHARED_MODELS), maxTokens: 512 },
      dtype: 'q8',
      threads: 1,
      loadTimeoutMs: 60_000,
      inferenceTimeoutMs: 60_000,
      logger: silentLogger(),
    });
  });
  afterAll(async () => {
    await worker?.close();
  });

  it('reads the labels from the model config', () => {
    expect(worker.labels).toEqual(['negative', 'positive']);
  });

  it('classifies N texts into N probability rows', async () => {
    const texts = ['刹车异响', '座椅很舒服', '油耗偏高，但是动力不错', '好'];
    const m = await worker.classify(texts);
    expect([m.rows, m.cols]).toEqual([4, 2]);
    for (let r = 0; r < m.rows; r++) {
      const row = [...m.data.subarray(r * 2, r * 2 + 2)];
      expect(row.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  it('embeds N texts into N unit vectors of the hidden size', async () => {
    const m = await worker.embed(['车机黑屏', '中控死机重启', '导航不准'], 'mean');
    expect([m.rows, m.cols]).toEqual([3, 32]);
    for (let r = 0; r < m.rows; r++) {
      const row = m.data.subarray(r * 32, r * 32 + 32);
      expect(Math.hypot(...row)).toBeCloseTo(1, 4);
    }
    const cls = await worker.embed(['车机黑屏'], 'cls');
    expect([...cls.data]).not.toEqual([...m.data.subarray(0, 32)]);
  });

  it('gives one row per text however the texts are batched', async () => {
    const texts = Array.from({ length: 7 }, (_, i) => `第${i}次保养后${'异响'.repeat(i)}`);
    const all = await worker.embed(texts, 'mean');
    const one = await worker.embed(texts.slice(3, 4), 'mean');
    expect(all.rows).toBe(7);
    // Padding in a batch must not change a text's vector (mean pooling uses the attention mask);
    // the q8 model quantises activations per batch, hence 1e-3.
    [...one.data].forEach((x, i) => expect(all.data[3 * 32 + i]).toBeCloseTo(x, 3));
  });

  it('truncates texts longer than the model positions instead of failing', async () => {
    const m = await worker.classify(['很好'.repeat(400)]);
    expect(m.rows).toBe(1);
  });

  it('answers an empty batch without calling the model', async () => {
    expect((await worker.classify([])).rows).toBe(0);
  });
});

describe.skipIf(!HAVE_RUNTIME)('InferenceWorker lifecycle', () => {
  it('refuses calls after close', async () => {
    const worker = await InferenceWorker.start({
      embedding: { location: locateModel('tiny-zh-bert-embed', SHARED_MODELS), maxTokens: 512 },
      dtype: 'q8',
      threads: 1,
      loadTimeoutMs: 60_000,
      inferenceTimeoutMs: 60_000,
      logger: silentLogger(),
    });
    await worker.close();
    await expect(worker.embed(['x'], 'mean')).rejects.toBeInstanceOf(PipelineError);
    await expect(worker.embed(['x'], 'mean')).rejects.toMatchObject({ code: 'MODEL_CLOSED' });
  });

  it('stops with the abort signal', async () => {
    const ac = new AbortController();
    const worker = await InferenceWorker.start({
      embedding: { location: locateModel('tiny-zh-bert-embed', SHARED_MODELS), maxTokens: 512 },
      dtype: 'q8',
      threads: 1,
      loadTimeoutMs: 60_000,
      inferenceTimeoutMs: 60_000,
      logger: silentLogger(),
      signal: ac.signal,
    });
    ac.abort();
    await expect(worker.embed(['x'], 'mean')).rejects.toMatchObject({ code: 'MODEL_CLOSED' });
  });
});

describe('resolveTransformers', () => {
  it('names the missing optional dependency with a ConfigError (install with --omit=optional)', () => {
    try {
      resolveTransformers('@voc-stream/not-installed-transformers');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('MODEL_RUNTIME_MISSING');
    }
  });

  it.skipIf(!HAVE_RUNTIME)('finds the installed package as a file URL', () => {
    expect(resolveTransformers()).toMatch(/^file:.*@huggingface\/transformers/);
  });
});
