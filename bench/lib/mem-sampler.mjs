// Preloaded with `node --import ./bench/lib/mem-sampler.mjs …`: appends process.memoryUsage() to
// the file named by VOC_BENCH_MEM_LOG every 500 ms, so that a run's RSS can be split into the JS
// heap, external/array buffers (Buffers) and the rest (native: chDB, OpenCC, jieba).
import { appendFileSync } from 'node:fs';

const file = process.env.VOC_BENCH_MEM_LOG;
if (file) {
  const t0 = Date.now();
  const sample = () => {
    const m = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ t: (Date.now() - t0) / 1000, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers })}\n`);
  };
  setInterval(sample, 500).unref();
  process.on('exit', sample);
}
