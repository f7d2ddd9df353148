import type { ComponentContext, ComponentDefinition } from '../../core/component.js';
import type { EnrichedEvent, ModelResult } from '../../core/enriched-event.js';
import { errorCode } from '../../core/errors.js';
import type { ModelStageConfig, ModelStageConfigInput } from './config.js';
import { ModelStageConfigSchema, locateModel } from './config.js';
import type { DiscoveredTopic } from './discovery.js';
import { TopicDiscovery, inSample, isUncovered } from './discovery.js';
import type { InferenceBackend, Matrix } from './inference-worker.js';
import { InferenceWorker } from './inference-worker.js';
import { checkModelDir } from './model-dir.js';
import type { ModelDecision } from './refine.js';
import { applyDecisions, candidateClauses, decide, neutralAllowed } from './refine.js';

const COMPONENT = 'refine_with_model';

export interface ModelStageStats {
  events: number;
  candidateClauses: number;
  refinedClauses: number;
  classifyCalls: number;
  embedded: number;
  embedCalls: number;
  failedBatches: number;
  clusters: number;
  evictedClusters: number;
}

/**
 * The optional model stage, between the NLP stage and the sink. Async and batched (unlike the
 * pure per-event NLP stage): inference runs in a worker thread, many texts per call.
 */
export interface ModelStage {
  readonly name: typeof COMPONENT;
  readonly enabled: boolean;
  /** The same events, in order, with model fields added; the inputs are not mutated. */
  refine(events: readonly EnrichedEvent[]): Promise<EnrichedEvent[]>;
  /** Discovered topics past the thresholds, largest first. */
  topics(): DiscoveredTopic[];
  /** Topics that changed since the last call: what the sink upserts into discovered_topics. */
  drainTopics(): DiscoveredTopic[];
  stats(): ModelStageStats;
  close(): Promise<void>;
}

export interface CreateModelStageOptions {
  /** Replace the worker (tests of the wiring, other runtimes). The default loads the configured models. */
  backend?: InferenceBackend;
  cwd?: string;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : [...text].slice(0, maxChars).join('');
}

function emptyStats(): ModelStageStats {
  return {
    events: 0,
    candidateClauses: 0,
    refinedClauses: 0,
    classifyCalls: 0,
    embedded: 0,
    embedCalls: 0,
    failedBatches: 0,
    clusters: 0,
    evictedClusters: 0,
  };
}

function passThrough(): ModelStage {
  const stats = emptyStats();
  return {
    name: COMPONENT,
    enabled: false,
    refine: (events) => Promise.resolve([...events]),
    topics: () => [],
    drainTopics: () => [],
    stats: () => ({ ...stats }),
    close: () => Promise.resolve(),
  };
}

/**
 * Create the model stage. Off (the default): a pass-through that loads nothing. On: the model
 * directories are checked, then the worker loads and probes the models; a missing or corrupt
 * directory rejects with a ConfigError naming the path (no download, no fallback to lexicon-only).
 */
export async function createModelStage(
  config: ModelStageConfig,
  ctx: ComponentContext,
  options: CreateModelStageOptions = {},
): Promise<ModelStage> {
  if (!config.enabled) return passThrough();
  const { logger, metrics } = ctx;
  const sentimentOn = config.sentimentModel !== undefined && config.sentiment.enabled;
  const discoveryOn = config.embeddingModel !== undefined && config.discovery.enabled;

  let backend = options.backend;
  if (!backend) {
    const spec = (ref: string | undefined, role: 'sentiment' | 'embedding') => {
      if (ref === undefined) return undefined;
      const location = locateModel(ref, config.modelDir, options.cwd);
      const info = checkModelDir(location, config.dtype, role);
      return { location, maxTokens: Math.min(config.maxTokens, info.maxPositionEmbeddings ?? config.maxTokens) };
    };
    const sentiment = sentimentOn ? spec(config.sentimentModel, 'sentiment') : undefined;
    const embedding = discoveryOn ? spec(config.embeddingModel, 'embedding') : undefined;
    const started = performance.now();
    backend = await InferenceWorker.start({
      sentiment,
      embedding,
      dtype: config.dtype,
      threads: config.threads,
      loadTimeoutMs: config.loadTimeoutMs,
      inferenceTimeoutMs: config.inferenceTimeoutMs,
      logger,
      signal: ctx.signal,
    });
    logger.info(
      {
        sentimentModel: sentiment?.location.dir ?? null,
        embeddingModel: embedding?.location.dir ?? null,
        labels: backend.labels,
        ms: Math.round(performance.now() - started),
      },
      'Model stage loaded its models.',
    );
  }
  const engine = backend;
  const discovery = discoveryOn ? new TopicDiscovery(config.discovery, config.embeddingModel ?? '') : undefined;
  const stats = emptyStats();

  const candidateOpts = { neutral: neutralAllowed(config.sentiment, engine.labels) };

  const failed = (err: unknown, op: string, texts: number) => {
    stats.failedBatches++;
    metrics.errors.inc({ component: COMPONENT, code: errorCode(err) });
    logger.warn({ err, op, texts }, 'Model inference failed for a batch; its events keep the lexicon result.');
  };

  /** Classify unique clause texts in batches; texts of a failed batch get no decision. */
  async function classifyAll(texts: string[]): Promise<{ decisions: Map<string, ModelDecision>; failedTexts: Set<string> }> {
    const decisions = new Map<string, ModelDecision>();
    const failedTexts = new Set<string>();
    for (const batch of chunks(texts, config.batchSize)) {
      let m: Matrix;
      try {
        stats.classifyCalls++;
        metrics.batchSize.observe({ component: COMPONENT }, batch.length);
        m = await engine.classify(batch.map((t) => cut(t, config.maxChars)));
      } catch (err) {
        failed(err, 'classify', batch.length);
        for (const t of batch) failedTexts.add(t);
        continue;
      }
      for (let r = 0; r < batch.length; r++) {
        const d = decide(m.data.subarray(r * m.cols, (r + 1) * m.cols), engine.labels, config.sentiment);
        const text = batch[r];
        if (d && text !== undefined) decisions.set(text, d);
      }
    }
    return { decisions, failedTexts };
  }

  async function embedAll(items: { index: number; text: string }[]): Promise<{ vectors: Map<number, Float32Array>; failed: Set<number> }> {
    const vectors = new Map<number, Float32Array>();
    const failedIdx = new Set<number>();
    for (const batch of chunks(items, config.batchSize)) {
      let m: Matrix;
      try {
        stats.embedCalls++;
        metrics.batchSize.observe({ component: COMPONENT }, batch.length);
        m = await engine.embed(
          batch.map((b) => config.discovery.prefix + cut(b.text, config.maxChars)),
          config.discovery.pooling,
        );
      } catch (err) {
        failed(err, 'embed', batch.length);
        for (const b of batch) failedIdx.add(b.index);
        continue;
      }
      batch.forEach((b, r) => vectors.set(b.index, m.data.slice(r * m.cols, (r + 1) * m.cols)));
    }
    return { vectors, failed: failedIdx };
  }

  return {
    name: COMPONENT,
    enabled: true,

    async refine(events) {
      stats.events += events.length;
      for (const e of events) metrics.received.inc({ component: COMPONENT, channel: e.event.channel });

      // 1. Sentiment: the unsure clauses of the whole batch, each distinct text asked once.
      const perEvent = events.map((e) => (sentimentOn ? candidateClauses(e.nlp.hits, config.sentiment, candidateOpts) : []));
      const uniqueTexts = [...new Set(perEvent.flatMap((cs) => cs.map((c) => c.text)))];
      const { decisions, failedTexts } = uniqueTexts.length > 0 ? await classifyAll(uniqueTexts) : { decisions: new Map<string, ModelDecision>(), failedTexts: new Set<string>() };

      // 2. Discovery: texts the frame does not cover.
      const toEmbed = discovery
        ? events.flatMap((e, index) =>
            // An event that already has a cluster (a second pass) is not counted twice.
            isUncovered(e, discovery.isGeneric) &&
            e.nlp.text.trim() !== '' &&
            e.nlp.model?.clusterId === undefined &&
            inSample(e.event.id, config.discovery.sample)
              ? [{ index, text: e.nlp.text }]
              : [],
          )
        : [];
      const embedded = toEmbed.length > 0 ? await embedAll(toEmbed) : { vectors: new Map<number, Float32Array>(), failed: new Set<number>() };
      stats.embedded += embedded.vectors.size;

      const out = events.map((e, index): EnrichedEvent => {
        const cands = perEvent[index] ?? [];
        const byClause = new Map<number, ModelDecision>();
        for (const c of cands) {
          const d = decisions.get(c.text);
          if (d) byClause.set(c.clauseIndex, d);
        }
        const model: ModelResult = {
          sentimentModel: sentimentOn ? (config.sentimentModel ?? null) : null,
          embeddingModel: discoveryOn ? (config.embeddingModel ?? null) : null,
          candidateClauses: cands.length,
          refinedClauses: [...byClause.keys()].sort((a, b) => a - b),
        };
        const vector = embedded.vectors.get(index);
        if (vector && discovery) model.clusterId = discovery.add(e, vector);
        else if (e.nlp.model?.clusterId !== undefined) model.clusterId = e.nlp.model.clusterId;
        if (cands.some((c) => failedTexts.has(c.text)) || embedded.failed.has(index)) model.fallback = 'inference_failed';
        stats.candidateClauses += cands.length;
        stats.refinedClauses += byClause.size;
        const hits = byClause.size > 0 ? applyDecisions(e.nlp.hits, byClause) : e.nlp.hits;
        metrics.sent.inc({ component: COMPONENT, channel: e.event.channel });
        return { event: e.event, nlp: { ...e.nlp, hits, model } };
      });
      if (discovery) {
        stats.clusters = discovery.clusterer.size;
        stats.evictedClusters = discovery.clusterer.evictions;
      }
      logger.debug(
        { events: events.length, candidates: uniqueTexts.length, refined: decisions.size, embedded: embedded.vectors.size },
        'Model stage refined a batch.',
      );
      return out;
    },

    topics: () => discovery?.topics() ?? [],
    drainTopics: () => discovery?.drain() ?? [],
    stats: () => ({ ...stats }),
    close: () => engine.close(),
  };
}

/** The registry entry (a stage: a verb). */
export const modelStageDefinition: ComponentDefinition<'stage', typeof ModelStageConfigSchema, Promise<ModelStage>> = {
  kind: 'stage',
  name: COMPONENT,
  summary: 'Optional: model sentiment for clauses the lexicon is unsure about, and embeddings that cluster uncovered feedback.',
  configSchema: ModelStageConfigSchema,
  create: (config: ModelStageConfig, ctx: ComponentContext) => createModelStage(config, ctx),
};

export type { ModelStageConfig, ModelStageConfigInput };
