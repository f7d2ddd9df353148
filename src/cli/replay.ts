import { Command, Option } from 'commander';
import { CHANNELS, type Channel } from '../core/feedback-event.js';
import { ConfigError } from '../core/errors.js';
import { readFeedbackEventFiles } from '../connectors/feedback-events/read.js';
import { inputBytes, listInputFiles } from '../runner/input-files.js';
import { runReplay } from '../runner/replay.js';
import type { RunCounters } from '../runner/accounting.js';
import { openPipeline } from '../runner/wiring.js';
import { addCommonOptions, commandContext, runCommand, type CommonOptions } from './context.js';
import { ProgressLine } from './progress.js';

interface ReplayOptions extends CommonOptions {
  channel?: Channel;
  batchSize?: string;
  progress: boolean;
}

export function replayCommand(): Command {
  const cmd = new Command('replay')
    .description('Replay historical feedback files through the pipeline (connector → bus → NLP → store).')
    .argument('<input>', 'a file, a directory of files, or - for stdin')
    .addOption(new Option('--channel <channel>', 'read the channel\'s native export format (see docs/connectors.md); without it, input is FeedbackEvent JSONL').choices([...CHANNELS]))
    .option('--batch-size <n>', 'records per bus publish and sink batch (default from config: 5000)')
    .option('--no-progress', 'no progress bar, even on a TTY')
    .addHelpText(
      'after',
      `
Examples:
  voc replay examples/feedback-events.jsonl
  voc replay --channel social examples/social/
  voc replay --store /data/voc big-export.jsonl

Prints one summary line at the end: read, published, processed, skipped, dead-lettered, written.
Replaying the same input twice changes no count (events are deduplicated by id).`,
    );
  addCommonOptions(cmd).action((input: string, opts: ReplayOptions) =>
    runCommand(async () => {
      const ctx = commandContext(opts);
      const batchSize = opts.batchSize === undefined ? ctx.config.pipeline.batchSize : Number(opts.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError(`--batch-size: expected a positive integer, got ${opts.batchSize}.`);
      const pipeline = await openPipeline(ctx, { requirePseudonymKey: false });
      let bytesRead = 0;
      const onBytes = (n: number): void => {
        bytesRead += n;
      };
      const totalBytes = inputBytes(listInputFiles(input, ['']));
      const source = opts.channel
        ? await pipeline.channelSource(opts.channel, input, onBytes)
        : readFeedbackEventFiles(input, onBytes);
      const progress = opts.progress && process.stderr.isTTY ? new ProgressLine(process.stderr, totalBytes) : undefined;
      try {
        const result = await runReplay({
          source,
          bus: pipeline.bus,
          sink: pipeline.sink,
          stage: pipeline.stage,
          pool: pipeline.pool,
          topics: pipeline.topics,
          topicSpecs: pipeline.topicSpecs,
          group: ctx.config.pipeline.group,
          batchSize,
          logger: ctx.logger,
          metrics: ctx.metrics,
          signal: ctx.signal,
          publishDeadLetters: pipeline.bus.name !== 'memory',
          maxRecordBytes: ctx.config.pipeline.maxRecordBytes,
          refine: pipeline.refine,
          onProgress: (c: RunCounters) => progress?.update(bytesRead, c.read),
        });
        progress?.done();
        process.stdout.write(`voc replay: ${result.counters.summaryLine(result.seconds)}\n`);
        const reasons = [...result.counters.deadLetterCodes].map(([k, v]) => `${k}=${v}`).join(' ');
        if (reasons) process.stdout.write(`voc replay: dead letters by reason: ${reasons} (see table dead_letters)\n`);
        const skipped = [...result.counters.skippedReasons].map(([k, v]) => `${k}=${v}`).join(' ');
        if (skipped) process.stdout.write(`voc replay: skipped by reason: ${skipped}\n`);
        return result.counters.balanced() ? 0 : 1;
      } finally {
        progress?.done();
        await pipeline.close();
      }
    }),
  );
  return cmd;
}
