import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

/**
 * Quantisation variants transformers.js knows, and the ONNX file each one loads from
 * `<model>/onnx/`. q8 (model_quantized.onnx) is the default: what `optimum` exports with
 * `--quantize` and what the test models ship.
 */
export const MODEL_DTYPE_FILES = {
  fp32: 'model.onnx',
  fp16: 'model_fp16.onnx',
  q8: 'model_quantized.onnx',
  int8: 'model_int8.onnx',
  uint8: 'model_uint8.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
  bnb4: 'model_bnb4.onnx',
} as const;
export type ModelDtype = keyof typeof MODEL_DTYPE_FILES;
const DTYPES = Object.keys(MODEL_DTYPE_FILES) as [ModelDtype, ...ModelDtype[]];

const modelRef = z
  .string()
  .min(1)
  .describe(
    'A model id, resolved as a sub-directory of modelDir (e.g. "bge-small-zh" or "org/name"), or a path to a model directory ("./x", "../x" or absolute).',
  );

export const SentimentRefinementConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Ask the sentiment model about clauses whose lexicon polarity is weak or conflicting.'),
    weakIntensity: z
      .number()
      .min(0)
      .max(1)
      .default(0.35)
      .describe('A lexicon hit with intensity below this is weak and its clause goes to the model.'),
    refineDefaults: z
      .boolean()
      .default(true)
      .describe('Also send clauses whose polarity came only from the code default (sentimentSource "default").'),
    refineNeutral: z
      .enum(['auto', 'always', 'never'])
      .default('auto')
      .describe(
        'Clauses whose hits are all neutral (no opinion found): auto sends them only when the model has a neutral label (a two-label model would force every neutral clause to + or −), always, or never.',
      ),
    minConfidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe('The model decides only when its top label score reaches this; below it the lexicon result stays.'),
    labels: z
      .record(z.string(), z.union([z.literal(-1), z.literal(0), z.literal(1)]))
      .default({})
      .describe(
        'Model label → polarity (-1, 0, 1), merged over the built-in map (negative/neutral/positive, 负面/中性/正面, LABEL_0/LABEL_1, 1–5 stars). Unknown labels leave the clause to the lexicon.',
      ),
  })
  .describe('Sentiment refinement of ambiguous clauses.');

export const DiscoveryConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Embed and cluster feedback no code covers, to surface candidate codes.'),
    pooling: z
      .enum(['mean', 'cls'])
      .default('mean')
      .describe('How token vectors become one text vector: mean (MiniLM, most sentence-transformers) or cls (bge).'),
    sample: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe('Share of uncovered events embedded, chosen by event id (deterministic: a replay picks the same ones).'),
    prefix: z
      .string()
      .max(64)
      .default('')
      .describe('Text put before every text to embed, when the model wants one (e5: "query: " for clustering).'),
    genericCodes: z
      .array(z.string().min(1))
      .default(['*.ATTR', '*.OTHER', '*.GENERAL'])
      .describe(
        'Codes that do not count as coverage, as globs over code ids (* = anything): by default the attribute-only leaves (*.ATTR, "变速箱" with no issue) and catch-alls.',
      ),
    center: z
      .boolean()
      .default(true)
      .describe(
        'Cluster (vector − running mean of all vectors seen), renormalised: sentence-embedding models put unrelated texts at cosine 0.7–0.9, centring spreads them so that one threshold fits several models.',
      ),
    similarity: z
      .number()
      .min(-1)
      .max(1)
      .default(0.4)
      .describe('Cosine similarity (of centred vectors when center is on) to a cluster centroid needed to join it; below it a new cluster starts.'),
    maxClusters: z.number().int().min(1).max(100_000).default(500).describe('Clusters kept in memory; the smallest, oldest is evicted beyond it.'),
    minTopicSize: z.number().int().min(1).default(20).describe('Members a cluster needs before it is emitted as a discovered topic.'),
    minDistinctAuthors: z
      .number()
      .int()
      .min(1)
      .default(3)
      .describe('Distinct authors a cluster needs before it is emitted (events without an author key count as distinct).'),
    maxExamples: z.number().int().min(0).max(3).default(3).describe('Redacted example texts kept per cluster (at most 3).'),
    maxExampleChars: z.number().int().min(1).default(200).describe('Example texts are cut to this many characters.'),
    maxTermsPerCluster: z.number().int().min(1).default(200).describe('Term counters kept per cluster (space-saving: the rarest is dropped).'),
    topTerms: z.number().int().min(1).max(50).default(8).describe('Top terms reported per discovered topic.'),
  })
  .describe('Discovery of feedback the code frame does not cover.');

export const ModelStageConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Run the model stage between the NLP stage and the sink. Off by default.'),
    modelDir: z
      .string()
      .min(1)
      .optional()
      .describe('Local directory holding the models (one sub-directory per model id); VOC_MODEL_DIR overrides. Models never download.'),
    sentimentModel: modelRef.optional().describe('Text-classification model for sentiment refinement; unset disables refinement.'),
    embeddingModel: modelRef.optional().describe('Feature-extraction model for discovery; unset disables discovery.'),
    dtype: z.enum(DTYPES).default('q8').describe('Which ONNX variant to load from <model>/onnx/ (q8 = model_quantized.onnx).'),
    batchSize: z.number().int().min(1).max(1024).default(32).describe('Texts per inference call.'),
    maxChars: z.number().int().min(1).default(256).describe('Texts are cut to this many characters before tokenising.'),
    maxTokens: z
      .number()
      .int()
      .min(8)
      .default(512)
      .describe('Token limit per text; the smaller of this and the model\'s max_position_embeddings is used.'),
    loadTimeoutMs: z.number().int().min(100).default(60_000).describe('Start-up fails when the models are not loaded within this time.'),
    inferenceTimeoutMs: z
      .number()
      .int()
      .min(100)
      .default(60_000)
      .describe('One inference call longer than this counts as failed; the batch keeps its lexicon result.'),
    threads: z.number().int().min(1).max(64).default(1).describe('ONNX Runtime intra-op threads in the inference worker.'),
    sentiment: SentimentRefinementConfigSchema.default(SentimentRefinementConfigSchema.parse({})),
    discovery: DiscoveryConfigSchema.default(DiscoveryConfigSchema.parse({})),
  })
  .superRefine((cfg, ctx) => {
    if (!cfg.enabled) return;
    if (cfg.sentimentModel === undefined && cfg.embeddingModel === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['sentimentModel'],
        message: 'model.enabled is true: expected sentimentModel and/or embeddingModel, got neither',
      });
    }
  })
  .describe('Optional model stage: model sentiment for ambiguous clauses, embeddings to discover uncovered feedback.');

export type ModelStageConfig = z.infer<typeof ModelStageConfigSchema>;
export type ModelStageConfigInput = z.input<typeof ModelStageConfigSchema>;
export type SentimentRefinementConfig = z.infer<typeof SentimentRefinementConfigSchema>;
export type DiscoveryConfig = z.infer<typeof DiscoveryConfigSchema>;

/**
 * Parse the `model` section once at start, with VOC_MODEL_DIR (directory) and VOC_MODEL_ENABLED
 * (1/true/0/false) applied over it. The error names the key, what was expected and what came.
 */
export function parseModelStageConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): ModelStageConfig {
  const base: Record<string, unknown> = raw && typeof raw === 'object' ? { ...(raw as Record<string, unknown>) } : {};
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) {
    throw new ConfigError(`model: expected an object, got ${Array.isArray(raw) ? 'array' : typeof raw}`);
  }
  if (env.VOC_MODEL_DIR) base.modelDir = env.VOC_MODEL_DIR;
  if (env.VOC_MODEL_ENABLED !== undefined && env.VOC_MODEL_ENABLED !== '') {
    const v = env.VOC_MODEL_ENABLED.toLowerCase();
    if (!['1', 'true', '0', 'false'].includes(v)) {
      throw new ConfigError(`VOC_MODEL_ENABLED: expected 1, true, 0 or false, got ${JSON.stringify(env.VOC_MODEL_ENABLED)}`);
    }
    base.enabled = v === '1' || v === 'true';
  }
  const parsed = ModelStageConfigSchema.safeParse(base);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = ['model', ...(issue?.path ?? [])].join('.');
    throw new ConfigError(`${key}: ${issue?.message ?? 'invalid'}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Where one model lives on disk: transformers.js reads `<localModelPath>/<modelId>/`. */
export interface ModelLocation {
  /** As configured. */
  ref: string;
  localModelPath: string;
  modelId: string;
  /** The model directory itself. */
  dir: string;
}

function isPathRef(ref: string): boolean {
  return isAbsolute(ref) || ref.startsWith('./') || ref.startsWith('../') || ref === '.' || ref === '..';
}

/**
 * A model reference becomes a directory: paths stand for themselves (relative to `cwd`), ids are
 * looked up under modelDir. An id without modelDir is a config error: the stage never downloads.
 */
export function locateModel(ref: string, modelDir: string | undefined, cwd: string = process.cwd()): ModelLocation {
  if (isPathRef(ref)) {
    const dir = resolve(cwd, ref);
    return { ref, dir, localModelPath: resolve(dir, '..'), modelId: dir.slice(resolve(dir, '..').length).replace(/^[\\/]+/, '') };
  }
  if (modelDir === undefined) {
    throw new ConfigError(
      `model: expected modelDir (or VOC_MODEL_DIR) to resolve the model id ${JSON.stringify(ref)}, got none; models are never downloaded`,
      { code: 'MODEL_DIR_MISSING' },
    );
  }
  const root = resolve(cwd, modelDir);
  return { ref, localModelPath: root, modelId: ref, dir: resolve(root, ref) };
}
