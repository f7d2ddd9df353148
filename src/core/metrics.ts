import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The metrics every component reports. Labels stay low-cardinality: component, channel, reason
 * or PII type, never an id.
 */
export class PipelineMetrics {
  readonly registry: Registry;
  readonly received: Counter<'component' | 'channel'>;
  readonly sent: Counter<'component' | 'channel'>;
  readonly errors: Counter<'component' | 'code'>;
  readonly deadLettered: Counter<'component' | 'stage' | 'code'>;
  readonly redactions: Counter<'type'>;
  readonly batchSize: Histogram<'component'>;
  readonly sinkLatency: Histogram<'sink'>;
  readonly consumerLag: Gauge<'topic' | 'group'>;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];
    this.received = new Counter({ name: 'voc_records_received_total', help: 'Records a component received.', labelNames: ['component', 'channel'], registers });
    this.sent = new Counter({ name: 'voc_records_sent_total', help: 'Records a component passed on.', labelNames: ['component', 'channel'], registers });
    this.errors = new Counter({ name: 'voc_errors_total', help: 'Errors by component and error code.', labelNames: ['component', 'code'], registers });
    this.deadLettered = new Counter({ name: 'voc_dead_letters_total', help: 'Records sent to the dead letters, by stage and reason code.', labelNames: ['component', 'stage', 'code'], registers });
    this.redactions = new Counter({ name: 'voc_pii_redactions_total', help: 'PII spans redacted, by type.', labelNames: ['type'], registers });
    this.batchSize = new Histogram({ name: 'voc_batch_size', help: 'Records per batch.', labelNames: ['component'], buckets: [1, 10, 50, 100, 500, 1000, 5000], registers });
    this.sinkLatency = new Histogram({ name: 'voc_sink_write_seconds', help: 'Time to write one batch to the store.', labelNames: ['sink'], buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers });
    this.consumerLag = new Gauge({ name: 'voc_consumer_lag', help: 'Records behind the end of the topic, per consumer group.', labelNames: ['topic', 'group'], registers });
  }
}
