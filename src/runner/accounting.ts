import type { RunAccounting } from '../sinks/sink.js';

/**
 * Counts of one run. Every item read from a source ends in exactly one of three places:
 * processed (NLP done, in the store — new or already there), skipped (counted on purpose: a
 * non-text chat message, a repost), or dead-lettered (with a reason). Nothing else.
 */
export class RunCounters {
  read = 0;
  published = 0;
  processed = 0;
  skipped = 0;
  deadLettered = 0;
  written = 0;
  duplicates = 0;
  mentions = 0;
  readonly skippedReasons = new Map<string, number>();
  readonly deadLetterCodes = new Map<string, number>();

  balanced(): boolean {
    return this.read === this.processed + this.skipped + this.deadLettered;
  }

  toRun(base: { runId: string; mode: RunAccounting['mode']; startedAt: Date }, finishedAt = new Date()): RunAccounting {
    return {
      runId: base.runId,
      mode: base.mode,
      startedAt: base.startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      read: this.read,
      published: this.published,
      processed: this.processed,
      skipped: this.skipped,
      deadLettered: this.deadLettered,
      written: this.written,
      duplicates: this.duplicates,
      mentions: this.mentions,
    };
  }

  summaryLine(seconds: number): string {
    const rate = seconds > 0 ? Math.round(this.processed / seconds) : 0;
    const check = this.balanced() ? 'balanced' : 'NOT BALANCED';
    return (
      `read=${this.read} published=${this.published} processed=${this.processed} skipped=${this.skipped} ` +
      `dead_lettered=${this.deadLettered} written=${this.written} duplicates=${this.duplicates} mentions=${this.mentions} ` +
      `(${check}: read = processed + skipped + dead_lettered) in ${seconds.toFixed(2)}s, ${rate} docs/s`
    );
  }
}
