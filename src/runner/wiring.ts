import { join } from 'node:path';
import type { Bus } from '../bus/bus.js';
import { busRegistry } from '../bus/registry.js';
import type { ComponentContext } from '../core/component.js';
import { formatZodIssues, type VocConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { z } from 'zod';
import type { EnrichedEvent } from '../core/enriched-event.js';
import type { Channel } from '../core/feedback-event.js';
import { Pseudonymizer, resolvePseudonymKey } from '../core/pseudonym.js';
import type { ParseOutcome } from '../connectors/connector.js';
import { readChannelFile } from '../connectors/registry.js';
import { loadCodeFrame } from '../nlp/codeframe/load.js';
import { createModelStage, parseModelStageConfig, writeDiscoveredTopics, type ModelStage } from '../nlp/model/index.js';
import { SqlSink } from '../sinks/sql/sql-sink.js';
import { createNlpStage, type NlpStage } from '../nlp/stage.js';
import { NlpWorkerPool } from '../nlp/worker-pool.js';
import { sinkRegistry } from '../sinks/registry.js';
import type { Sink } from '../sinks/sink.js';
import type { TopicSpec } from '../bus/bus.js';
import { pipelineTopicsFromConfig } from './pipeline-topics.js';
import type { TopicNames } from './topics.js';

// A bus definition with its config type erased, so that one lookup serves every kind.
interface BusDefinition {
  name: string;
  configSchema: z.ZodType;
  create(config: never, ctx: ComponentContext): Bus | Promise<Bus>;
}

function parseSection<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid ${where} configuration: ${formatZodIssues(parsed.error, where)}.`);
  return parsed.data;
}

export interface WiringContext extends ComponentContext {
  config: VocConfig;
}

/** The store named by the config, connected (which runs its migrations). */
export async function openSink(ctx: WiringContext): Promise<Sink> {
  const { store } = ctx.config;
  const logger = ctx.logger.child({ component: 'sink', name: store.kind });
  const common = { kAnonymity: store.kAnonymity, verbatims: store.verbatims };
  let sink: Sink;
  if (store.kind === 'chdb') {
    const def = sinkRegistry.chdb;
    sink = await def.create(parseSection(def.configSchema, { path: store.path, ...common }, 'store'), { ...ctx, logger });
  } else {
    const def = sinkRegistry.clickhouse;
    sink = await def.create(parseSection(def.configSchema, { ...store.clickhouse, ...common }, 'store.clickhouse'), { ...ctx, logger });
  }
  await sink.connect(ctx.signal);
  return sink;
}

/** The bus named by the config, connected. */
export async function openBus(ctx: WiringContext): Promise<Bus> {
  const { bus } = ctx.config;
  const defs: Record<string, BusDefinition | undefined> = busRegistry;
  const def = defs[bus.kind];
  if (!def) throw new ConfigError(`bus.kind: no bus named ${bus.kind}; expected one of ${Object.keys(busRegistry).join(', ')}.`);
  const raw = bus.kind === 'kafka' ? bus.kafka : {};
  const parsed = def.configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid bus.${bus.kind} configuration: ${formatZodIssues(parsed.error, `bus.${bus.kind}`)}.`);
  const instance = await def.create(parsed.data as never, { ...ctx, logger: ctx.logger.child({ component: 'bus', name: def.name }) });
  await instance.connect(ctx.signal);
  return instance;
}

/**
 * The model stage between NLP and the store: refines unsure clause polarity, and writes the topics
 * its online clustering discovered to discovered_topics (on the SQL stores).
 */
function modelRefiner(model: ModelStage, sink: Sink, withExamples: boolean, signal: AbortSignal): (events: EnrichedEvent[]) => Promise<EnrichedEvent[]> {
  return async (events) => {
    const refined = await model.refine(events);
    const found = model.drainTopics();
    if (found.length > 0 && sink instanceof SqlSink) await writeDiscoveredTopics(sink.tableAccess(), found, { withExamples, signal });
    return refined;
  };
}

export interface Pipeline {
  bus: Bus;
  sink: Sink;
  stage: NlpStage;
  /** The NLP stage on worker threads when config nlp.workers > 0. */
  pool?: NlpWorkerPool;
  topics: TopicNames;
  /** What the bus ensures at start: partitions and retention from config on Kafka. */
  topicSpecs: TopicSpec[];
  refine?: (events: EnrichedEvent[]) => Promise<EnrichedEvent[]>;
  pseudonymizer(): Pseudonymizer;
  channelSource(channel: Channel, input: string, onBytes?: (n: number) => void): Promise<AsyncIterable<ParseOutcome>>;
  close(): Promise<void>;
}

/**
 * Everything a run needs, built from the config: bus, sink, NLP stage and the pseudonymiser. The
 * service requires VOC_PSEUDONYM_KEY; a local replay may use a key generated once per store.
 */
export async function openPipeline(ctx: WiringContext, opts: { requirePseudonymKey: boolean }): Promise<Pipeline> {
  const topics = pipelineTopicsFromConfig(ctx.config);
  const frame = loadCodeFrame(ctx.config.nlp.codeFrame);
  // The optional model stage first: a missing or corrupt model directory stops start-up before
  // anything connects (off by default: a pass-through that loads nothing).
  const model = await createModelStage(parseModelStageConfig(ctx.config.model ?? {}), { ...ctx, logger: ctx.logger.child({ component: 'stage', name: 'refine_with_model' }) });
  // The store keeps no tokens; only the model stage's discovery reads them. Segmenting every text
  // just to drop the tokens cost ~11% of a replay (docs/performance.md).
  const stage = await createNlpStage({ codeFrame: frame, tokens: model.enabled });
  // Threads build their own stage from the same files (a loaded frame does not cross threads).
  const workers = ctx.config.nlp.workers;
  const pool = workers > 0 ? await NlpWorkerPool.start({ workers, stage: { codeFramePath: ctx.config.nlp.codeFrame, tokens: model.enabled } }) : undefined;
  const closePool = async (): Promise<void> => {
    await pool?.close();
  };
  let sink: Sink;
  try {
    sink = await openSink(ctx);
  } catch (err) {
    await closePool();
    await model.close();
    throw err;
  }
  try {
    // The code frame is the dimension table the views take their labels from.
    await sink.syncCodeFrame?.(frame, ctx.signal);
  } catch (err) {
    await sink.close();
    await closePool();
    await model.close();
    throw err;
  }
  let bus: Bus;
  try {
    bus = await openBus(ctx);
  } catch (err) {
    await sink.close();
    await closePool();
    await model.close();
    throw err;
  }
  const refine = model.enabled ? modelRefiner(model, sink, ctx.config.store.verbatims === 'redacted', ctx.signal) : undefined;
  let pseudonymizer: Pseudonymizer | undefined;
  const getPseudonymizer = (): Pseudonymizer => {
    if (!pseudonymizer) {
      const key = resolvePseudonymKey({ env: process.env, storeKeyFile: join(ctx.config.store.path, 'pseudonym.key'), required: opts.requirePseudonymKey });
      if (key.origin !== 'env') {
        ctx.logger.warn({ path: key.path, origin: key.origin }, 'VOC_PSEUDONYM_KEY is not set: pseudonyms use the store\'s own key file.');
        process.stderr.write(`voc: VOC_PSEUDONYM_KEY is not set; pseudonyms use the key in ${key.path} (${key.origin === 'generated' ? 'generated now' : 'kept from an earlier run'}).\n`);
      }
      pseudonymizer = new Pseudonymizer(key.key);
    }
    return pseudonymizer;
  };
  return {
    bus,
    sink,
    stage,
    pool,
    topics: topics.names,
    topicSpecs: topics.specs,
    pseudonymizer: getPseudonymizer,
    channelSource: (channel, input, onBytes) =>
      Promise.resolve(
        readChannelFile(channel, input, {
          pseudonymizer: getPseudonymizer(),
          config: ctx.config.connectors?.[channel],
          onBytes,
        }),
      ),
    refine,
    async close() {
      await bus.close();
      await closePool();
      await model.close();
      await sink.close();
    },
  };
}
