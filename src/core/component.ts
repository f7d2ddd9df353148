import type { z } from 'zod';
import type { Logger } from './logger.js';
import type { PipelineMetrics } from './metrics.js';

/** What every component is handed when it is created. No globals: logger, metrics and abort come in here. */
export interface ComponentContext {
  logger: Logger;
  metrics: PipelineMetrics;
  signal: AbortSignal;
}

export type ComponentKind = 'connector' | 'bus' | 'stage' | 'sink';

/**
 * The definition each component exports, listed in an explicit registry object per kind (no
 * side-effect registration).
 */
export interface ComponentDefinition<K extends ComponentKind, S extends z.ZodType, T> {
  kind: K;
  /** snake_case; connectors and sinks are nouns, stages are verbs. */
  name: string;
  summary: string;
  configSchema: S;
  create(config: z.infer<S>, ctx: ComponentContext): T | Promise<T>;
}
