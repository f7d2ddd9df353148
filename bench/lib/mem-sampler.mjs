// Preloaded with `node --import ./bench/lib/mem-sampler.mjs …`: appends process.memoryUsage() to
// the file named by VOC_BENCH_MEM_LOG every 500 ms, so that a run's RSS can be split into the JS
// heap, external/array buffers (Buffers) and the rest (native: chDB, OpenCC, jieba).
//
// With VOC_BENCH_MEM_STORE set to the run's chDB store directory it also records, once a second,
// chDB's tracked memory and the merges running (table:MB:parts:compressed MB:algorithm): how the
// fourth session found that horizontal merges of `events` made the replay's peak (performance.md §2).
import { appendFileSync } from 'node:fs';

const file = process.env.VOC_BENCH_MEM_LOG;
const store = process.env.VOC_BENCH_MEM_STORE;
if (file) {
  const t0 = Date.now();
  const sample = () => {
    const m = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ t: (Date.now() - t0) / 1000, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  };
  setInterval(sample, 500).unref();
  process.on('exit', sample);
  if (store) {
    // A second session on the store's directory shares the process's one engine (chDB binds one per process).
    let session = null;
    setInterval(async () => {
      try {
        if (!session) session = new (await import('chdb')).Session(store);
        const r = await session.queryAsync(
          `SELECT (SELECT value FROM system.metrics WHERE metric = 'MemoryTracking') AS tracked,
            (SELECT groupArray(concat(table, ':', toString(round(memory_usage / 1e6)), ':', toString(num_parts), ':',
              toString(round(total_size_bytes_compressed / 1e6)), ':', merge_algorithm)) FROM system.merges) AS merges`,
          { format: 'JSONEachRow' },
        );
        appendFileSync(file, `${JSON.stringify({ t: (Date.now() - t0) / 1000, chdb: JSON.parse(r.text()) })}\n`);
      } catch (err) {
        appendFileSync(file, `${JSON.stringify({ t: (Date.now() - t0) / 1000, error: String(err) })}\n`);
      }
    }, 1000).unref();
  }
}
