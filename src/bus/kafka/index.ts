import type { ComponentDefinition } from '../../core/component.js';
import { CHANNELS, type Channel } from '../../core/feedback-event.js';
import type { Bus, TopicSpec } from '../bus.js';
import { KafkaBusConfigSchema, rawTopic, type KafkaBusConfig } from './config.js';
import { createKafkaBus } from './kafka-bus.js';

export { KafkaBus, createKafkaBus } from './kafka-bus.js';
export { KafkaBusConfigSchema, rawTopic, type KafkaBusConfig, type KafkaBusConfigInput } from './config.js';
export { classifyKafkaError, toPipelineError } from './errors.js';
export { DLQ_HEADERS, deadLetterHeaders, parseDeadLetterHeaders, type DeadLetterHeaderFields, type DeadLetterSource } from './dead-letter-headers.js';

/**
 * The topics of the pipeline with their configured partitions, replication and retention: one
 * raw topic per channel (short retention: unredacted text), the dead letters, and the enriched
 * topic when it is configured. Pass the result to Bus.ensureTopics on start.
 */
export function pipelineTopics(config: KafkaBusConfig, channels: readonly Channel[] = CHANNELS): TopicSpec[] {
  const common = { partitions: config.partitions, replicationFactor: config.replicationFactor };
  const topics: TopicSpec[] = channels.map((c) => ({ name: rawTopic(config, c), ...common, retentionMs: config.rawRetentionMs }));
  topics.push({ name: config.topics.deadLetters, ...common, retentionMs: config.deadLetterRetentionMs });
  if (config.topics.enriched !== null) topics.push({ name: config.topics.enriched, ...common, retentionMs: config.enrichedRetentionMs });
  return topics;
}

export const kafkaBusDefinition = {
  kind: 'bus',
  name: 'kafka',
  summary: 'Apache Kafka through kafkajs: idempotent acks=all producer, consumer groups with commit after the handler.',
  configSchema: KafkaBusConfigSchema,
  create: (config, ctx) => createKafkaBus(config, ctx),
} satisfies ComponentDefinition<'bus', typeof KafkaBusConfigSchema, Bus>;
