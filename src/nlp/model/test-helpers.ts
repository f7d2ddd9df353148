// Shared by the model stage tests only (not imported by runtime code).
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeHit, EnrichedEvent } from '../../core/enriched-event.js';
import type { ComponentContext } from '../../core/component.js';
import { silentLogger } from '../../core/logger.js';
import { PipelineMetrics } from '../../core/metrics.js';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
/** The tiny random-weight models (../shared/models/README.md). */
export const SHARED_MODELS = resolve(REPO_ROOT, '..', 'shared', 'models');

export function transformersInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@huggingface/transformers');
    return true;
  } catch {
    return false;
  }
}

export function testContext(): ComponentContext {
  return { logger: silentLogger(), metrics: new PipelineMetrics(), signal: new AbortController().signal };
}

export function hit(overrides: Partial<CodeHit> = {}): CodeHit {
  return {
    code: 'PWR.TRANS.JERK',
    label: '换挡顿挫',
    domain: 'PWR',
    domainLabel: '动力',
    term: '顿挫',
    span: [2, 4],
    clause: '换挡顿挫',
    clauseIndex: 0,
    sentiment: -1,
    intensity: 0.8,
    needLayer: 'basic',
    department: 'rnd',
    sentimentSource: 'lexicon',
    ...overrides,
  };
}

let counter = 0;
export function enriched(text: string, hits: CodeHit[] = [], opts: { id?: string; author?: string | null; tokens?: string[]; at?: string } = {}): EnrichedEvent {
  counter++;
  const id = opts.id ?? counter.toString(16).padStart(32, '0');
  return {
    event: {
      schemaVersion: 1,
      id,
      channel: 'survey',
      source: 'survey.test',
      sourceId: id,
      occurredAt: opts.at ?? '2026-11-01T08:00:00.000Z',
      receivedAt: '2026-11-01T08:00:01.000Z',
      text,
      authorKey: opts.author === undefined ? null : opts.author,
      context: {},
      consent: { coCreation: false },
    },
    nlp: {
      text,
      script: 'hans',
      region: 'cn',
      tokens: opts.tokens ?? [],
      redactions: {},
      hits,
      sentiment: { polarity: 0, score: 0 },
      codeFrame: { version: 'test', hash: '0000000000000000' },
    },
  };
}
