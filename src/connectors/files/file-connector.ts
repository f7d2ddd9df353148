import type { Connector, ParseOutcome, ReadBatch } from '../connector.js';
import { END } from '../connector.js';
import { ConfigError } from '../../core/errors.js';
import type { Channel } from '../../core/feedback-event.js';
import type { ConnectorContext } from '../registry.js';
import { readBound, type BoundParsers } from './bound.js';
import { listChannelFiles, type FileFormat } from './read-records.js';

/**
 * The component form of a channel connector: reads the files and directories in its config
 * `paths` and hands out batches of outcomes. Files are re-readable, so `ack` only logs a failure:
 * the runner replays the input on a failed run (event ids make that idempotent).
 */
export class FileConnector implements Connector {
  readonly name: string;
  #iterator: AsyncIterator<ParseOutcome> | undefined;
  #done = false;

  constructor(
    readonly channel: Channel,
    private readonly bound: BoundParsers,
    private readonly formats: readonly FileFormat[],
    private readonly ctx: ConnectorContext,
  ) {
    this.name = channel;
  }

  connect(signal?: AbortSignal): Promise<void> {
    const paths = this.bound.config.paths;
    if (paths.length === 0) {
      return Promise.reject(new ConfigError(`connectors.${this.channel}.paths: expected at least one file or directory, got none.`));
    }
    let files: string[];
    try {
      files = paths.flatMap((p) => listChannelFiles(p, this.formats));
    } catch (err) {
      return Promise.reject(new ConfigError(`connectors.${this.channel}.paths: cannot list the input.`, { code: 'INPUT_NOT_FOUND', cause: err }));
    }
    this.ctx.logger.info({ files: files.length }, 'Connector connected.');
    this.#iterator = readBound(this.bound, files, this.formats, { signal: signal ?? this.ctx.signal })[Symbol.asyncIterator]();
    return Promise.resolve();
  }

  async read(signal?: AbortSignal): Promise<ReadBatch | typeof END> {
    if (!this.#iterator) throw new ConfigError(`Connector ${this.name}: read() before connect().`, { code: 'CONNECTOR_NOT_CONNECTED' });
    if (this.#done) return END;
    const outcomes: ParseOutcome[] = [];
    while (outcomes.length < this.bound.config.batchSize) {
      (signal ?? this.ctx.signal).throwIfAborted();
      const next = await this.#iterator.next();
      if (next.done) {
        this.#done = true;
        break;
      }
      outcomes.push(next.value);
    }
    if (outcomes.length === 0) return END;
    const m = this.ctx.metrics;
    for (const o of outcomes) {
      m.received.inc({ component: 'connector', channel: this.channel });
      if (o.kind === 'dead_letter') m.deadLettered.inc({ component: 'connector', stage: o.letter.stage, code: o.letter.code });
      else if (o.kind === 'event') m.sent.inc({ component: 'connector', channel: this.channel });
    }
    this.ctx.logger.debug({ outcomes: outcomes.length }, 'Read a batch.');
    return {
      outcomes,
      ack: (err?: unknown) => {
        if (err !== undefined) this.ctx.logger.warn({ err }, 'Batch not accepted; the file can be replayed.');
        return Promise.resolve();
      },
    };
  }

  async close(): Promise<void> {
    this.#done = true;
    await this.#iterator?.return?.();
    this.#iterator = undefined;
  }
}
