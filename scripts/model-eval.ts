/**
 * How well an embedding model separates topics, measured on ../shared/data/car-opinions-dev.csv
 * (evaluation use only): texts labelled with exactly one subject (动力, 价格, 油耗 …) are embedded
 * with the model stage's worker, then
 *   - k-NN subject accuracy (leave-one-out, cosine, k = 5, majority vote), against the majority-
 *     class baseline: does the embedding put texts about the same subject near each other?
 *   - the online clusterer of the discovery path at a few similarity thresholds: clusters of ≥ 5
 *     texts, their subject purity, and the share of texts they hold.
 *
 *   node --import tsx scripts/model-eval.ts [--model-dir DIR] [--embedding ID] [--dtype q8]
 *                                           [--prefix "query: "] [--pooling mean|cls] [--limit N]
 *                                           [--center] [--cache FILE]
 *
 * --center clusters (v − running mean), renormalised, as model.discovery.center does: models whose vectors all sit close together
 * (e5: unrelated texts at cosine 0.7–0.85) then work with the same thresholds as others.
 * --cache keeps the vectors in FILE so that the clustering part can be re-run without the model.
 *
 * Defaults: the tiny random-weight model (a floor: it should score near the baseline).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { OnlineClusterer, dot } from '../src/nlp/model/clusterer.js';
import type { ModelDtype } from '../src/nlp/model/config.js';
import { DiscoveryConfigSchema, locateModel } from '../src/nlp/model/config.js';
import { TopicDiscovery } from '../src/nlp/model/discovery.js';
import type { Pooling } from '../src/nlp/model/inference-worker.js';
import { startEvalWorker } from './eval-inference-worker.js';

const SHARED = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'shared');

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface Item {
  text: string;
  subject: string;
}

function load(limit: number): Item[] {
  const rows = parseCsv(readFileSync(resolve(SHARED, 'data', 'car-opinions-dev.csv'), 'utf8'), { columns: true, skip_empty_lines: true }) as {
    content_id: string;
    content: string;
    subject: string;
  }[];
  const byId = new Map<string, { text: string; subjects: Set<string> }>();
  for (const r of rows) {
    const cur = byId.get(r.content_id) ?? { text: r.content.trim(), subjects: new Set<string>() };
    cur.subjects.add(r.subject);
    byId.set(r.content_id, cur);
  }
  const items: Item[] = [];
  for (const { text, subjects } of byId.values()) if (subjects.size === 1) items.push({ text, subject: [...subjects][0] ?? '' });
  return items.slice(0, limit);
}

async function main(): Promise<void> {
  const modelDir = arg('model-dir', process.env.VOC_MODEL_DIR ?? resolve(SHARED, 'models')) ?? '';
  const id = arg('embedding', 'tiny-zh-bert-embed') ?? '';
  const dtype = (arg('dtype', 'q8') ?? 'q8') as ModelDtype;
  const prefix = arg('prefix', '') ?? '';
  const pooling = (arg('pooling', 'mean') ?? 'mean') as Pooling;
  const items = load(Number(arg('limit', '100000')));
  const cache = arg('cache');
  let vectors: Float32Array[];
  let loadMs = 0;
  let embedMs = 0;
  const location = locateModel(id, modelDir);
  if (cache && existsSync(cache)) {
    const raw = readFileSync(cache);
    const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    const dim = all.length / items.length;
    vectors = items.map((_, i) => all.slice(i * dim, (i + 1) * dim));
  } else {
    const t0 = performance.now();
    const worker = await startEvalWorker('embedding', location, dtype);
    loadMs = performance.now() - t0;
    // Similar lengths per batch: less padding, same vectors.
    const order = items.map((_, i) => i).sort((a, b) => (items[a]?.text.length ?? 0) - (items[b]?.text.length ?? 0));
    vectors = new Array<Float32Array>(items.length);
    const t1 = performance.now();
    for (let i = 0; i < order.length; i += 32) {
      const idx = order.slice(i, i + 32);
      const m = await worker.embed(idx.map((j) => prefix + (items[j]?.text ?? '')), pooling);
      idx.forEach((j, r) => (vectors[j] = m.data.slice(r * m.cols, (r + 1) * m.cols)));
    }
    embedMs = performance.now() - t1;
    await worker.close();
    if (cache) writeFileSync(cache, Buffer.concat(vectors.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength))));
  }
  if (process.argv.includes('--center')) {
    // The stage's own running-mean centring, in stream order (what discovery.center does).
    const discovery = new TopicDiscovery(DiscoveryConfigSchema.parse({ center: true }), id);
    vectors = vectors.map((v) => discovery.centred(v));
  }

  const counts = new Map<string, number>();
  for (const it of items) counts.set(it.subject, (counts.get(it.subject) ?? 0) + 1);
  const majority = Math.max(...counts.values()) / items.length;

  // k-NN, leave one out.
  const k = 5;
  let correct = 0;
  for (let i = 0; i < items.length; i++) {
    const vi = vectors[i];
    if (!vi) continue;
    const sims: [number, number][] = [];
    for (let j = 0; j < items.length; j++) if (j !== i) sims.push([dot(vi, vectors[j] ?? vi), j]);
    sims.sort((a, b) => b[0] - a[0]);
    const votes = new Map<string, number>();
    for (const [, j] of sims.slice(0, k)) votes.set(items[j]?.subject ?? '', (votes.get(items[j]?.subject ?? '') ?? 0) + 1);
    const best = [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (best === items[i]?.subject) correct++;
  }

  const lines = [
    `model ${location.dir} (${dtype}, pooling ${pooling}, prefix ${JSON.stringify(prefix)}${process.argv.includes('--center') ? ', centred' : ''})`,
    `texts ${items.length} with one subject; load ${(loadMs / 1000).toFixed(1)} s; embed ${(embedMs / 1000).toFixed(1)} s = ${Math.round(items.length / (embedMs / 1000))} texts/s`,
    `5-NN subject accuracy ${(correct / items.length).toFixed(3)}  (majority-class baseline ${majority.toFixed(3)}, ${counts.size} subjects)`,
    'similarity  clusters  clusters≥5  texts in ≥5  purity of ≥5',
  ];
  for (const similarity of (process.argv.includes('--center') ? [0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6] : [0.7, 0.8, 0.85, 0.9, 0.92, 0.93, 0.94, 0.95])) {
    const c = new OnlineClusterer({ similarity, maxClusters: 500, maxExamples: 0, maxTermsPerCluster: 1, minDistinctAuthors: 1 });
    const members = new Map<string, string[]>();
    items.forEach((it, i) => {
      const cl = c.add({ id: `e${i}`, vector: vectors[i] ?? new Float32Array(0), at: '', terms: [], example: '', author: null });
      const list = members.get(cl.id) ?? [];
      list.push(it.subject);
      members.set(cl.id, list);
    });
    const live = c.all().filter((cl) => cl.size >= 5);
    let inBig = 0;
    let pure = 0;
    for (const cl of live) {
      const subs = (members.get(cl.id) ?? []).slice(-cl.size);
      const m = new Map<string, number>();
      for (const s of subs) m.set(s, (m.get(s) ?? 0) + 1);
      inBig += subs.length;
      pure += Math.max(...m.values());
    }
    lines.push(
      `${similarity.toFixed(2).padStart(10)}  ${String(c.size).padStart(8)}  ${String(live.length).padStart(10)}  ${(inBig / items.length).toFixed(3).padStart(11)}  ${(inBig ? pure / inBig : 0).toFixed(3).padStart(12)}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}

await main();
