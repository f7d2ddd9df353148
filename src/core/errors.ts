/**
 * One error hierarchy for the whole pipeline (after kafkajs): every error carries a stable `code`
 * and a `retriable` flag, so the retry engine and the dead-letter router classify by table, not by
 * message text.
 */
export interface PipelineErrorOptions {
  code?: string;
  retriable?: boolean;
  cause?: unknown;
}

export class PipelineError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PipelineError';
    this.code = options.code ?? 'PIPELINE_ERROR';
    this.retriable = options.retriable ?? false;
  }
}

/** A configuration value is missing or has the wrong shape. Never retriable. */
export class ConfigError extends PipelineError {
  constructor(message: string, options: Omit<PipelineErrorOptions, 'retriable'> = {}) {
    super(message, { code: options.code ?? 'CONFIG_INVALID', cause: options.cause, retriable: false });
    this.name = 'ConfigError';
  }
}

/** A peer (broker, server, file) could not be reached. Retriable by default. */
export class ConnectionError extends PipelineError {
  constructor(message: string, options: PipelineErrorOptions = {}) {
    super(message, { code: options.code ?? 'CONNECTION_FAILED', cause: options.cause, retriable: options.retriable ?? true });
    this.name = 'ConnectionError';
  }
}

/** An input record failed validation; it goes to the dead letters, never retried. */
export class ValidationError extends PipelineError {
  constructor(message: string, options: Omit<PipelineErrorOptions, 'retriable'> = {}) {
    super(message, { code: options.code ?? 'RECORD_INVALID', cause: options.cause, retriable: false });
    this.name = 'ValidationError';
  }
}

/** A stage failed on one record. */
export class StageError extends PipelineError {
  readonly stage: string;
  constructor(stage: string, message: string, options: PipelineErrorOptions = {}) {
    super(message, { code: options.code ?? 'STAGE_FAILED', cause: options.cause, retriable: options.retriable ?? false });
    this.name = 'StageError';
    this.stage = stage;
  }
}

/** The store refused a write; `serverCode` is ClickHouse's numeric error code when there is one. */
export class SinkRejectedError extends PipelineError {
  readonly serverCode: number | undefined;
  constructor(message: string, options: PipelineErrorOptions & { serverCode?: number } = {}) {
    super(message, { code: options.code ?? 'SINK_REJECTED', cause: options.cause, retriable: options.retriable ?? false });
    this.name = 'SinkRejectedError';
    this.serverCode = options.serverCode;
  }
}

/** The retry engine gave up; `cause` is the last error. */
export class RetriesExhaustedError extends PipelineError {
  readonly attempts: number;
  constructor(message: string, attempts: number, cause: unknown) {
    super(message, { code: 'RETRIES_EXHAUSTED', cause, retriable: false });
    this.name = 'RetriesExhaustedError';
    this.attempts = attempts;
  }
}

/** TypeError, RangeError and SyntaxError are programming bugs: retrying cannot help. */
export function isRetriable(err: unknown): boolean {
  if (err instanceof PipelineError) return err.retriable;
  if (err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError) return false;
  if (err && typeof err === 'object' && 'retriable' in err) return Boolean((err as { retriable: unknown }).retriable);
  return false;
}

export function errorCode(err: unknown): string {
  if (err instanceof PipelineError) return err.code;
  if (err instanceof Error) return err.name;
  return 'UNKNOWN';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
