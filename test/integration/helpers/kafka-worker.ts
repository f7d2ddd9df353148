/**
 * A consumer process for the Kafka integration tests (run with `node --import tsx`). It consumes
 * one topic in one group and "sinks" every record by appending a JSON line to SINK_FILE and
 * fsyncing it, inside the handler: the bus commits only after that. With KILL_AFTER_BATCHES=n it
 * SIGKILLs itself right after the n-th batch is durably written and before its offsets are
 * committed. On SIGTERM it stops the subscription (finishing and committing the batch) and exits.
 *
 * Env: VOC_KAFKA_BROKERS, TOPIC, GROUP, SINK_FILE, WORKER_ID, MAX_BATCH (100), KILL_AFTER_BATCHES (0).
 * Lines: {"id", "worker", "batch", "partition", "offset"}; prints "ready" once subscribed.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { KafkaBusConfigSchema } from '../../../src/bus/kafka/config.js';
import { KafkaBus } from '../../../src/bus/kafka/kafka-bus.js';

function env(name: string, fallback?: string): string {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`kafka-worker: ${name} is required.`);
  return v;
}

const workerId = env('WORKER_ID', '0');
const killAfter = Number(env('KILL_AFTER_BATCHES', '0'));
const fd = openSync(env('SINK_FILE'), 'a');
const bus = new KafkaBus(
  KafkaBusConfigSchema.parse({
    brokers: env('VOC_KAFKA_BROKERS').split(','),
    clientId: `voc-worker-${workerId}`,
    // One partition at a time: the kill test names "the" uncommitted batch (with several in flight
    // each would be redelivered, which is also correct but not what it checks).
    consumer: { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000, retryInitialDelayMs: 100, retryMaxDelayMs: 1000, partitionsConsumedConcurrently: 1 },
  }),
);
await bus.connect();
let batches = 0;
const sub = await bus.subscribe({
  topics: [env('TOPIC')],
  group: env('GROUP'),
  maxBatchRecords: Number(env('MAX_BATCH', '100')),
  handler: (batch) => {
    batches++;
    const lines = batch.records
      .map((r) => {
        const { id } = JSON.parse(r.value.toString('utf8')) as { id: string };
        return `${JSON.stringify({ id, worker: workerId, batch: batches, partition: r.partition, offset: r.offset })}\n`;
      })
      .join('');
    writeSync(fd, lines);
    fsyncSync(fd);
    if (killAfter > 0 && batches === killAfter) process.kill(process.pid, 'SIGKILL');
    return Promise.resolve();
  },
});
process.stdout.write('ready\n');

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await sub.stop();
    await bus.close();
    closeSync(fd);
    process.exit(0);
  })();
});
