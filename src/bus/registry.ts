import { z } from 'zod';
import type { ComponentDefinition } from '../core/component.js';
import type { Bus } from './bus.js';
import { kafkaBusDefinition } from './kafka/index.js';
import { MemoryBus } from './memory.js';

export const MemoryBusConfigSchema = z
  .strictObject({
    defaultPartitions: z.number().int().min(1).max(64).default(4).describe('Partitions per topic.'),
  })
  .describe('The in-process bus of the embedded default.');

export const memoryBusDefinition = {
  kind: 'bus',
  name: 'memory',
  summary: 'In-process topics with partitions and consumer-group offsets; nothing to run.',
  configSchema: MemoryBusConfigSchema,
  create: (config) => new MemoryBus({ defaultPartitions: config.defaultPartitions }),
} satisfies ComponentDefinition<'bus', typeof MemoryBusConfigSchema, Bus>;

/** Every bus by config name. */
export const busRegistry = {
  memory: memoryBusDefinition,
  kafka: kafkaBusDefinition,
} as const;
