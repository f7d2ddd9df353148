import { cpSync, mkdtempSync, rmSync, truncateSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, PipelineError } from '../../core/errors.js';
import type { ModelStageConfigInput } from './config.js';
import { parseModelStageConfig } from './config.js';
import type { InferenceBackend, Matrix } from './inference-worker.js';
import type { ModelStage } from './stage.js';
import { createModelStage } from './stage.js';
import { SHARED_MODELS, enriched, hit, testContext, transformersInstalled } from './test-helpers.js';

const HAVE_RUNTIME = transformersInstalled();
if (!HAVE_RUNTIME) console.warn('SKIPPED: model stage tests with the tiny models need the optional dependency @huggingface/transformers.');

const TINY: ModelStageConfigInput = {
  enabled: true,
  modelDir: SHARED_MODELS,
  sentimentModel: 'tiny-zh-bert-sentiment',
  embeddingModel: 'tiny-zh-bert-embed',
};
const config = (over: ModelStageConfigInput = {}) => parseModelStageConfig({ ...TINY, ...over }, {});

async function startFails(over: ModelStageConfigInput): Promise<ConfigError> {
  try {
    const stage = await createModelStage(config(over), testContext());
    await stage.close();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected start-up to fail');
}

/** Clauses the lexicon is unsure of (code default) and one it is sure of. */
function batchOf(n: number) {
  return Array.from({ length: n }, (_, i) =>
    enriched(`第${i}条：换挡有点顿挫，座椅很舒服`, [
      hit({ clauseIndex: 0, clause: `换挡有点顿挫${i}`, sentimentSource: 'default', sentiment: -1, intensity: 0.5 }),
      hit({ clauseIndex: 1, clause: '座椅很舒服', code: 'BODY.SEAT.COMFORT', sentiment: 1, intensity: 0.9 }),
    ]),
  );
}

describe('model stage off', () => {
  it('passes events through untouched and loads nothing', async () => {
    const stage = await createModelStage(parseModelStageConfig({ modelDir: '/does/not/exist', sentimentModel: 'x' }, {}), testContext());
    const events = batchOf(2);
    const out = await stage.refine(events);
    expect(stage.enabled).toBe(false);
    expect(out).toEqual(events);
    expect(out[0]?.nlp.model).toBeUndefined();
  });
});

describe.skipIf(!HAVE_RUNTIME)('model stage with the tiny models', () => {
  let stage: ModelStage;
  beforeAll(async () => {
    stage = await createModelStage(
      config({ batchSize: 4, sentiment: { minConfidence: 0 }, discovery: { minTopicSize: 2, minDistinctAuthors: 1, similarity: -1 } }),
      testContext(),
    );
  });
  afterAll(async () => {
    await stage?.close();
  });

  it('refines every unsure clause in batches and leaves sure ones to the lexicon', async () => {
    const events = batchOf(10);
    const before = stage.stats();
    const out = await stage.refine(events);
    const after = stage.stats();
    expect(out).toHaveLength(10);
    // 10 distinct unsure clauses, batch size 4 → 3 calls.
    expect(after.classifyCalls - before.classifyCalls).toBe(3);
    expect(after.candidateClauses - before.candidateClauses).toBe(10);
    out.forEach((e, i) => {
      expect(e.event.id).toBe(events[i]?.event.id);
      expect(e.nlp.model).toMatchObject({
        sentimentModel: 'tiny-zh-bert-sentiment',
        embeddingModel: 'tiny-zh-bert-embed',
        candidateClauses: 1,
        refinedClauses: [0],
      });
      const [unsure, sure] = e.nlp.hits;
      expect(unsure?.sentimentSource).toBe('model');
      expect([-1, 1]).toContain(unsure?.sentiment);
      expect(unsure?.intensity).toBeGreaterThanOrEqual(0.5);
      expect(unsure?.intensity).toBeLessThanOrEqual(1);
      expect(sure).toEqual(events[i]?.nlp.hits[1]);
      // The input is not mutated.
      expect(events[i]?.nlp.hits[0]?.sentimentSource).toBe('default');
    });
  });

  it('asks once per distinct clause text in a batch', async () => {
    const same = Array.from({ length: 6 }, () => enriched('x', [hit({ clause: '有点异响', sentiment: -1, intensity: 0.1 })]));
    const before = stage.stats().classifyCalls;
    const out = await stage.refine(same);
    expect(stage.stats().classifyCalls - before).toBe(1);
    expect(out.every((e) => e.nlp.hits[0]?.sentimentSource === 'model')).toBe(true);
  });

  it('embeds uncovered texts only and puts them in clusters, long texts included', async () => {
    const events = [
      enriched('车机经常黑屏'.repeat(60), [], { tokens: ['车机', '黑屏'] }),
      enriched('中控屏死机', [], { tokens: ['中控', '死机'] }),
      ...batchOf(1),
    ];
    const before = stage.stats().embedded;
    const out = await stage.refine(events);
    expect(stage.stats().embedded - before).toBe(2);
    expect(out[0]?.nlp.model?.clusterId).toMatch(/^t[0-9a-f]{15}$/);
    // similarity -1: everything joins the first cluster.
    expect(out[1]?.nlp.model?.clusterId).toBe(out[0]?.nlp.model?.clusterId);
    expect(out[2]?.nlp.model?.clusterId).toBeUndefined();
    const topics = stage.topics();
    expect(topics.length).toBeGreaterThan(0);
    expect(topics[0]?.examples.length).toBeLessThanOrEqual(3);
    expect(topics[0]?.embeddingModel).toBe('tiny-zh-bert-embed');
  });

  it('returns nothing for nothing', async () => {
    expect(await stage.refine([])).toEqual([]);
  });
});

describe.skipIf(!HAVE_RUNTIME)('model stage thresholds', () => {
  it('keeps the lexicon result when the model is not confident enough', async () => {
    // Random weights score about 0.5: a 0.99 bar is never reached.
    const stage = await createModelStage(config({ embeddingModel: undefined, sentiment: { minConfidence: 0.99 } }), testContext());
    try {
      const events = batchOf(3);
      const out = await stage.refine(events);
      expect(out.map((e) => e.nlp.hits)).toEqual(events.map((e) => e.nlp.hits));
      expect(out[0]?.nlp.model).toMatchObject({ candidateClauses: 1, refinedClauses: [], embeddingModel: null });
    } finally {
      await stage.close();
    }
  });
});

describe.skipIf(!HAVE_RUNTIME)('start-up with a missing or corrupt model directory', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'voc-models-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  function copyOf(name: string): string {
    const dir = join(tmp, `${name}-${Math.random().toString(16).slice(2)}`);
    cpSync(join(SHARED_MODELS, name), dir, { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'onnx'), 0o755);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) chmodSync(join(dir, f), 0o644);
    return dir;
  }

  it('fails with MODEL_DIR_MISSING naming the directory', async () => {
    const missing = join(tmp, 'nope');
    const err = await startFails({ modelDir: missing, embeddingModel: undefined });
    expect(err.code).toBe('MODEL_DIR_MISSING');
    expect(err.message).toContain(join(missing, 'tiny-zh-bert-sentiment'));
  });

  it('fails with MODEL_INVALID naming the directory when the weights are truncated', async () => {
    const dir = copyOf('tiny-zh-bert-sentiment');
    truncateSync(join(dir, 'onnx', 'model_quantized.onnx'), 1000);
    const err = await startFails({ sentimentModel: dir, embeddingModel: undefined });
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain(dir);
  });

  it('fails with MODEL_INVALID when config.json is not JSON', async () => {
    const dir = copyOf('tiny-zh-bert-embed');
    writeFileSync(join(dir, 'config.json'), '{"model_type": "bert",');
    const err = await startFails({ sentimentModel: undefined, embeddingModel: dir });
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain(dir);
  });

  it('fails with MODEL_INVALID when the ONNX file for the dtype is absent', async () => {
    const err = await startFails({ dtype: 'fp32', embeddingModel: undefined });
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain(join(SHARED_MODELS, 'tiny-zh-bert-sentiment', 'onnx', 'model.onnx'));
  });

  it('fails when the tokenizer is garbage (caught by the worker probe, not at first use)', async () => {
    const dir = copyOf('tiny-zh-bert-sentiment');
    writeFileSync(join(dir, 'tokenizer.json'), '{"version": "1.0"}');
    const err = await startFails({ sentimentModel: dir, embeddingModel: undefined });
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain(dir);
  });

  it('fails when a sentiment model has no labels', async () => {
    const err = await startFails({ sentimentModel: 'tiny-zh-bert-embed', embeddingModel: undefined });
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain('id2label');
  });
});

/** A scripted engine: records the batches it sees; fails on demand. */
class FakeBackend implements InferenceBackend {
  labels = ['negative', 'positive'];
  calls: { op: string; size: number }[] = [];
  failClassify = false;
  failEmbed = false;
  closed = false;
  classify(texts: string[]): Promise<Matrix> {
    this.calls.push({ op: 'classify', size: texts.length });
    if (this.failClassify) return Promise.reject(new PipelineError('boom', { code: 'MODEL_INFERENCE_FAILED' }));
    // "差" in a clause → negative 0.9, otherwise positive 0.8.
    const data = new Float32Array(texts.flatMap((t) => (t.includes('差') ? [0.9, 0.1] : [0.2, 0.8])));
    return Promise.resolve({ data, rows: texts.length, cols: 2 });
  }
  embedded: string[] = [];
  embed(texts: string[]): Promise<Matrix> {
    this.calls.push({ op: 'embed', size: texts.length });
    this.embedded.push(...texts);
    if (this.failEmbed) return Promise.reject(new PipelineError('boom', { code: 'MODEL_TIMEOUT', retriable: true }));
    const data = new Float32Array(texts.flatMap((t) => (t.includes('屏') ? [1, 0] : [0, 1])));
    return Promise.resolve({ data, rows: texts.length, cols: 2 });
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

describe('model stage wiring (scripted engine)', () => {
  it('maps each model answer back to its own clause and event', async () => {
    const backend = new FakeBackend();
    const stage = await createModelStage(config({ batchSize: 2 }), testContext(), { backend });
    const events = [
      enriched('a', [hit({ clauseIndex: 0, clause: '做工差', sentiment: 1, intensity: 0.1 }), hit({ clauseIndex: 1, clause: '还行', sentimentSource: 'default', sentiment: -1 })]),
      enriched('b', [hit({ clauseIndex: 0, clause: '空间大', sentiment: -1, intensity: 0.2 })]),
      enriched('c', [hit({ clauseIndex: 2, clause: '动力强但油耗差', sentiment: 1 }), hit({ clauseIndex: 2, clause: '动力强但油耗差', sentiment: -1 })]),
    ];
    const out = await stage.refine(events);
    expect(out[0]?.nlp.hits.map((h) => [h.sentiment, h.sentimentSource])).toEqual([
      [-1, 'model'],
      [1, 'model'],
    ]);
    expect(out[1]?.nlp.hits[0]?.sentiment).toBe(1);
    expect(out[2]?.nlp.hits.map((h) => h.sentiment)).toEqual([-1, -1]);
    expect(out[2]?.nlp.model?.refinedClauses).toEqual([2]);
    // 4 distinct clauses, batch size 2 → two classify calls of 2; nothing uncovered → no embed.
    expect(backend.calls).toEqual([
      { op: 'classify', size: 2 },
      { op: 'classify', size: 2 },
    ]);
    await stage.close();
    expect(backend.closed).toBe(true);
  });

  it('falls back to the lexicon result, flagged, when inference fails', async () => {
    const backend = new FakeBackend();
    backend.failClassify = true;
    backend.failEmbed = true;
    const ctx = testContext();
    const stage = await createModelStage(config(), ctx, { backend });
    const events = [enriched('a', [hit({ clause: '做工差', sentiment: 1, intensity: 0.1 })]), enriched('屏幕', [])];
    const out = await stage.refine(events);
    expect(out[0]?.nlp.hits).toEqual(events[0]?.nlp.hits);
    expect(out[0]?.nlp.model).toMatchObject({ refinedClauses: [], fallback: 'inference_failed' });
    expect(out[1]?.nlp.model?.fallback).toBe('inference_failed');
    expect(out[1]?.nlp.model?.clusterId).toBeUndefined();
    expect(stage.stats().failedBatches).toBe(2);
    const errors = await ctx.metrics.errors.get();
    expect(errors.values.map((v) => v.labels.code).sort()).toEqual(['MODEL_INFERENCE_FAILED', 'MODEL_TIMEOUT']);
    // The next batch works again.
    backend.failClassify = false;
    const again = await stage.refine(events.slice(0, 1));
    expect(again[0]?.nlp.model?.fallback).toBeUndefined();
    expect(again[0]?.nlp.hits[0]?.sentimentSource).toBe('model');
  });

  it('sends all-neutral clauses only when the model has a neutral label (refineNeutral auto)', async () => {
    const events = () => [enriched('a', [hit({ clause: '说说油耗', sentiment: 0, sentimentSource: 'default', intensity: 0 })])];
    const binary = new FakeBackend();
    const s1 = await createModelStage(config({ embeddingModel: undefined }), testContext(), { backend: binary });
    expect((await s1.refine(events()))[0]?.nlp.model?.candidateClauses).toBe(0);
    expect(binary.calls).toEqual([]);
    const threeWay = new FakeBackend();
    threeWay.labels = ['negative', 'positive', 'neutral'];
    threeWay.classify = (texts: string[]) => {
      threeWay.calls.push({ op: 'classify', size: texts.length });
      return Promise.resolve({ data: new Float32Array(texts.flatMap(() => [0.05, 0.05, 0.9])), rows: texts.length, cols: 3 });
    };
    const s2 = await createModelStage(config({ embeddingModel: undefined }), testContext(), { backend: threeWay });
    const out = await s2.refine(events());
    expect(out[0]?.nlp.model?.refinedClauses).toEqual([0]);
    expect(out[0]?.nlp.hits[0]).toMatchObject({ sentiment: 0, sentimentSource: 'model', intensity: 0.9 });
  });

  it('treats generic-only events as uncovered and clusters them apart', async () => {
    const backend = new FakeBackend();
    const stage = await createModelStage(
      config({ sentiment: { enabled: false }, discovery: { minTopicSize: 2, minDistinctAuthors: 1, genericCodes: ['GEN.*'], prefix: 'query: ' } }),
      testContext(),
      { backend },
    );
    const out = await stage.refine([
      enriched('屏幕黑', [hit({ code: 'GEN.PRAISE.ANY' })]),
      enriched('屏幕卡'),
      enriched('座椅硬'),
      enriched('座椅窄', [hit()]),
    ]);
    expect(backend.calls).toEqual([{ op: 'embed', size: 3 }]);
    expect(backend.embedded).toEqual(['query: 屏幕黑', 'query: 屏幕卡', 'query: 座椅硬']);
    const ids = out.map((e) => e.nlp.model?.clusterId);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[3]).toBeUndefined();
    expect(out[0]?.nlp.model?.sentimentModel).toBeNull();
    expect(stage.drainTopics().map((t) => t.size)).toEqual([2]);
    expect(stage.drainTopics()).toEqual([]);
    // A second pass over the same events keeps their clusters and counts nobody twice.
    const again = await stage.refine(out);
    expect(again.map((e) => e.nlp.model?.clusterId)).toEqual(ids);
    expect(stage.topics().map((t) => t.size)).toEqual([2]);
    expect(backend.calls).toHaveLength(1);
  });
});
