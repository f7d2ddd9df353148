import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { KafkaBus } from '../../src/bus/kafka/kafka-bus.js';
import { KafkaBusConfigSchema } from '../../src/bus/kafka/config.js';
import { runBusContract } from '../contract/bus-contract-suite.js';
import { KAFKA_BROKERS, kafkaAvailable } from './helpers/services.js';

const FILE = basename(fileURLToPath(import.meta.url));

describe.runIf(kafkaAvailable(FILE))('Kafka bus on the real broker', () => {
  runBusContract(
    'kafka',
    () =>
      Promise.resolve(
        new KafkaBus(
          KafkaBusConfigSchema.parse({
            brokers: KAFKA_BROKERS,
            clientId: 'voc-contract',
            producer: { lingerMs: 2 },
            consumer: { retryInitialDelayMs: 50, retryMaxDelayMs: 500, sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 },
          }),
        ),
      ),
    { partitions: 3, timeoutMs: 60_000 },
  );
});
