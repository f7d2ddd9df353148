import { MemoryBus } from '../../src/bus/memory.js';
import { runBusContract } from './bus-contract-suite.js';

runBusContract('memory', () => Promise.resolve(new MemoryBus({ defaultPartitions: 3 })), { timeoutMs: 5_000 });
