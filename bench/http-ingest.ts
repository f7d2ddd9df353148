/**
 * HTTP ingest load test on loopback: starts `voc serve` on the embedded default (memory bus +
 * chDB, 127.0.0.1 only, a temporary store), pushes a fixed number of records of every channel as
 * NDJSON batches from a few concurrent keep-alive senders, bounded in count and in time, and reports
 * the sustained accepted records/s (202 = the bus confirmed), the request latency percentiles, and
 * how long the consumer took to get everything into the store. Then SIGTERM: the drain must exit 0.
 *
 *   npx tsx bench/http-ingest.ts [--records 20000] [--batch 100] [--concurrency 8] [--seconds 60]
 *
 * Prints one JSON figure on stdout; `benchHttpIngest()` returns it to the bench runner.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHANNELS, channelRecord, credentialEnv, http, metricValue, ndjson, startServe, tokenFor, type ServeProcess } from '../test/integration/service-support.js';
import type { Channel } from '../src/core/feedback-event.js';

export interface HttpIngestOptions {
  /** Records to send in all (the count bound). */
  records?: number;
  /** Records per request (NDJSON lines). */
  batch?: number;
  /** Concurrent senders, one keep-alive connection each. */
  concurrency?: number;
  /** Time bound of the sending phase, and again of the wait for the store (seconds). */
  seconds?: number;
}

export interface HttpIngestFigure {
  records: number;
  batch: number;
  concurrency: number;
  requests: number;
  /** Records acknowledged with 202. */
  accepted: number;
  /** Requests answered other than 202 (429/503…). */
  refused: number;
  /** Accepted records per second of the sending phase: what the ingest endpoint sustains. */
  recordsPerSec: number;
  requestsPerSec: number;
  /** Request latency (send → 202, i.e. until the bus confirmed), ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Seconds until the consumer had every accepted record in the store (null: not within the bound). */
  storeSeconds: number | null;
  /** Accepted records / seconds until they were all in the store. */
  endToEndRecordsPerSec: number | null;
  /** The time bound cut the sending phase short. */
  timedOut: boolean;
  drainExitCode: number | null;
  load1: number;
  error?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round((sorted[i] as number) * 100) / 100;
}

export async function benchHttpIngest(o: HttpIngestOptions = {}): Promise<HttpIngestFigure> {
  const records = o.records ?? 20_000;
  const batch = o.batch ?? 100;
  const concurrency = o.concurrency ?? 8;
  const seconds = o.seconds ?? 60;
  const dir = mkdtempSync(join(tmpdir(), 'voc-bench-http-'));
  const config = join(dir, 'voc.json');
  writeFileSync(config, JSON.stringify({ service: { rateLimit: { requestsPerSecond: 1e6, burst: 1e6 }, maxRecordsPerRequest: Math.max(batch, 1), lagPollSeconds: 0.5 } }));
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VOC_'))),
    ...credentialEnv(),
    VOC_BUS: 'memory',
    VOC_STORE: 'chdb',
    VOC_PSEUDONYM_KEY: 'bench-only-pseudonym-key-0123456789abcdef',
  };
  const load1 = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  let serve: ServeProcess | undefined;
  const latencies: number[] = [];
  let accepted = 0;
  let requests = 0;
  let refused = 0;
  let timedOut = false;
  try {
    serve = await startServe(['--host', '127.0.0.1', '--config', config, '--store', join(dir, 'store')], env);
    const url = serve.url;
    if (!/^http:\/\/127\.0\.0\.1:/.test(url)) throw new Error(`Expected a loopback address, got ${url}.`);

    // Bodies are made before the clock starts, so that the figure is the server's, not the generator's.
    const bodies: { channel: Channel; body: string; n: number }[] = [];
    for (let sent = 0, k = 0; sent < records; k++) {
      const channel = CHANNELS[k % CHANNELS.length] as Channel;
      const n = Math.min(batch, records - sent);
      bodies.push({ channel, n, body: ndjson(Array.from({ length: n }, (_, i) => channelRecord(channel, k * batch + i, 'bench'))) });
      sent += n;
    }
    let next = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    const sender = async (): Promise<void> => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (;;) {
          if (performance.now() > deadline) {
            timedOut = next < bodies.length;
            return;
          }
          const item = bodies[next++];
          if (!item) return;
          const t0 = performance.now();
          const r = await http(`${url}/v1/ingest/${item.channel}`, { body: item.body, agent, headers: { Authorization: `Bearer ${tokenFor(item.channel)}`, 'Content-Type': 'application/x-ndjson' } });
          requests++;
          if (r.status === 202) {
            latencies.push(performance.now() - t0);
            accepted += r.json.accepted ?? 0;
          } else refused++;
        }
      } finally {
        agent.destroy();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, () => sender()));
    const sendSeconds = (performance.now() - started) / 1000;

    // The consumer's side: wait (bounded) until the NLP stage has stored everything accepted.
    let storeSeconds: number | null = null;
    const storeDeadline = performance.now() + seconds * 1000;
    while (performance.now() < storeDeadline) {
      const text = (await http(`${url}/metrics`)).body;
      if (metricValue(text, 'voc_records_sent_total', { component: 'nlp' }) >= accepted) {
        storeSeconds = (performance.now() - started) / 1000;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }

    serve.child.kill('SIGTERM');
    const drainExitCode = await serve.exited;
    latencies.sort((a, b) => a - b);
    return {
      records,
      batch,
      concurrency,
      requests,
      accepted,
      refused,
      recordsPerSec: Math.round(accepted / sendSeconds),
      requestsPerSec: Math.round(requests / sendSeconds),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: percentile(latencies, 100),
      storeSeconds: storeSeconds === null ? null : Math.round(storeSeconds * 100) / 100,
      endToEndRecordsPerSec: storeSeconds === null ? null : Math.round(accepted / storeSeconds),
      timedOut,
      drainExitCode,
      load1,
    };
  } catch (err) {
    if (serve && serve.child.exitCode === null) serve.child.kill('SIGKILL');
    return {
      records, batch, concurrency, requests, accepted, refused,
      recordsPerSec: 0, requestsPerSec: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, storeSeconds: null, endToEndRecordsPerSec: null,
      timedOut, drainExitCode: null, load1,
      error: (err instanceof Error ? err.message : String(err)).slice(0, 400),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('http-ingest.ts')) {
  const { values } = parseArgs({
    options: { records: { type: 'string' }, batch: { type: 'string' }, concurrency: { type: 'string' }, seconds: { type: 'string' } },
  });
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const fig = await benchHttpIngest({ records: num(values.records), batch: num(values.batch), concurrency: num(values.concurrency), seconds: num(values.seconds) });
  process.stderr.write(
    fig.error
      ? `http ingest: ${fig.error}\n`
      : `http ingest: ${fig.accepted} records in ${fig.requests} requests (batch ${fig.batch}, ${fig.concurrency} senders): ${fig.recordsPerSec} records/s sustained, p50 ${fig.p50Ms} ms, p99 ${fig.p99Ms} ms; all in the store after ${fig.storeSeconds ?? '>bound'} s; drain exit ${fig.drainExitCode}\n`,
  );
  process.stdout.write(`${JSON.stringify(fig)}\n`);
}
