import type { TopicSpec } from '../bus/bus.js';
import { KafkaBusConfigSchema, rawTopic } from '../bus/kafka/config.js';
import { pipelineTopics } from '../bus/kafka/index.js';
import { CHANNELS, type Channel } from '../core/feedback-event.js';
import { formatZodIssues, type VocConfig } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { defaultTopicNames, topicSpecs, type TopicNames } from './topics.js';

/**
 * The topics the pipeline (service and replay) publishes to and consumes from, with the specs it ensures at start. On
 * Kafka they come from `bus.kafka.topics` (names) and `bus.kafka.partitions` / retention, so that
 * every instance of a deployment agrees; on the memory bus they are the defaults.
 */
export function pipelineTopicsFromConfig(config: VocConfig): { names: TopicNames; specs: TopicSpec[] } {
  if (config.bus.kind !== 'kafka') {
    const names = defaultTopicNames();
    // One process consumes the memory bus: one partition per topic gives the sink the largest batches.
    return { names, specs: topicSpecs(names, 1) };
  }
  const parsed = KafkaBusConfigSchema.safeParse(config.bus.kafka);
  if (!parsed.success) throw new ConfigError(`Invalid bus.kafka configuration: ${formatZodIssues(parsed.error, 'bus.kafka')}.`);
  const kafka = parsed.data;
  const raw = Object.fromEntries(CHANNELS.map((c) => [c, rawTopic(kafka, c)])) as Record<Channel, string>;
  return { names: { raw, dlq: kafka.topics.deadLetters }, specs: pipelineTopics(kafka) };
}
