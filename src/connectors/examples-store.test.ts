import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus, BusRecord } from '../bus/bus.js';
import { loadConfig, readConfigFile } from '../core/config.js';
import type { Channel } from '../core/feedback-event.js';
import { silentLogger } from '../core/logger.js';
import { PipelineMetrics } from '../core/metrics.js';
import { runReplay } from '../runner/replay.js';
import { openPipeline, type Pipeline } from '../runner/wiring.js';
import { EXAMPLE_IDENTIFIERS } from './example-identifiers.js';

/**
 * The whole embedded pipeline over every channel's examples (connectors → in-memory bus → NLP →
 * chDB): everything published on the bus and everything in every table of the store is searched
 * for the raw identifiers of the example inputs. None may be there.
 */
describe('examples through the embedded pipeline', () => {
  const published: string[] = [];
  let pipeline: Pipeline | undefined;
  const counts = new Map<Channel, { read: number; processed: number; skipped: number; deadLettered: number; written: number }>();
  let replay: ((channel: Channel) => ReturnType<typeof runReplay>) | undefined;

  beforeAll(async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'voc-pii-')), 'store');
    const privateDomain = (readConfigFile('examples/private_domain/voc.yaml').connectors as Record<string, unknown>).private_domain;
    const config = loadConfig({
      env: {},
      overrides: [
        { path: ['store', 'path'], value: store },
        { path: ['connectors'], value: { private_domain: privateDomain } },
      ],
    });
    const ctx = { config, logger: silentLogger(), metrics: new PipelineMetrics(), signal: new AbortController().signal };
    const opened = await openPipeline(ctx, { requirePseudonymKey: false });
    pipeline = opened;
    // Everything the run publishes, whatever the topic (raw events, dead letters).
    const bus: Bus = new Proxy(opened.bus, {
      get(target, prop, receiver) {
        if (prop === 'publish') {
          return (topic: string, records: BusRecord[]) => {
            for (const r of records) published.push(`${topic} ${r.key} ${JSON.stringify(r.headers ?? {})} ${r.value.toString('utf8')}`);
            return target.publish(topic, records);
          };
        }
        const v: unknown = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    replay = async (channel: Channel) =>
      runReplay({
        source: await opened.channelSource(channel, `examples/${channel}`),
        bus,
        sink: opened.sink,
        stage: opened.stage,
        topics: opened.topics,
        group: 'pii', // one group: each run consumes what it published, not the earlier runs' events
        batchSize: 50,
        logger: ctx.logger,
        metrics: ctx.metrics,
        publishDeadLetters: true,
      });
    for (const channel of Object.keys(EXAMPLE_IDENTIFIERS) as Channel[]) {
      const { run } = await replay(channel);
      counts.set(channel, { read: run.read, processed: run.processed, skipped: run.skipped, deadLettered: run.deadLettered, written: run.written });
    }
  }, 120_000);

  afterAll(async () => {
    await pipeline?.close();
  });

  it('balances the accounting for every channel', () => {
    for (const [channel, c] of counts) {
      expect(c.read, channel).toBeGreaterThan(0);
      expect(c.read, channel).toBe(c.processed + c.skipped + c.deadLettered);
      expect(c.processed, channel).toBeGreaterThan(0);
    }
  });

  it('writes nothing new when an export is replayed again (deterministic ids)', async () => {
    if (!replay) throw new Error('The pipeline did not open.');
    for (const channel of ['survey', 'social'] as Channel[]) {
      const { run } = await replay(channel);
      expect(counts.get(channel)?.written, channel).toBeGreaterThan(0);
      expect(run.written, channel).toBe(0);
      expect(run.duplicates, channel).toBe(counts.get(channel)?.written);
    }
  });

  it('publishes no raw identifier on the bus', () => {
    expect(published.length).toBeGreaterThan(0);
    const all = published.join('\n');
    const leaked = Object.values(EXAMPLE_IDENTIFIERS).flatMap((files) => Object.values(files).flat()).filter((id) => all.includes(id));
    expect(leaked).toEqual([]);
    // The search sees the data: values that are published in clear are found.
    expect(all).toContain('SH021');
    expect(all).toContain('星海S7');
  });

  it('stores no raw identifier in any table', async () => {
    if (!pipeline) throw new Error('The pipeline did not open.');
    const { sink } = pipeline;
    const tables = (await sink.query('SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name', 'TSV')).split('\n').filter(Boolean);
    expect(tables.length).toBeGreaterThan(0);
    let rows = 0;
    let dealerCodeSeen = false;
    const leaks: string[] = [];
    const ids = Object.values(EXAMPLE_IDENTIFIERS).flatMap((files) => Object.values(files).flat());
    for (const table of tables) {
      const dump = await sink.query(`SELECT * FROM \`${table}\``, 'JSONEachRow');
      rows += dump.split('\n').filter(Boolean).length;
      for (const id of ids) if (dump.includes(id)) leaks.push(`${table}: ${id}`);
      dealerCodeSeen ||= dump.includes('TW-TPE02');
    }
    expect(rows).toBeGreaterThan(0);
    expect(dealerCodeSeen).toBe(true); // the search sees the data
    expect(leaks).toEqual([]);
  });
});
