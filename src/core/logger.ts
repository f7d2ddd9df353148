import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths that must never reach a log line: secrets and anything that could carry feedback text or
 * identifiers. Set once here so that no component can forget them.
 */
export const REDACT_PATHS = [
  'text',
  '*.text',
  'event.text',
  'record.text',
  'payload',
  '*.payload',
  'authorKey',
  '*.authorKey',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'headers.authorization',
  'req.headers.authorization',
  'config.store.clickhouse.password',
];

export interface CreateLoggerOptions {
  level?: string;
  /** Where the JSON lines go; stderr by default so that stdout stays clean for command output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    base: { app: 'voc-stream' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: pino.stdSerializers.err },
  };
  return pino(pinoOptions, (options.destination ?? process.stderr) as pino.DestinationStream);
}

/** A logger that drops everything: for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
