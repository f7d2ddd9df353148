import type { Command } from 'commander';
import { loadConfig, type VocConfig } from '../core/config.js';
import type { ComponentContext } from '../core/component.js';
import { PipelineError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { PipelineMetrics } from '../core/metrics.js';

/** Options every command that touches the store or bus shares. */
export interface CommonOptions {
  config?: string;
  store?: string;
  logLevel?: string;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (YAML or JSON); default config/voc.yaml when present')
    .option('--store <dir>', 'embedded store directory (chDB); default .voc')
    .option('--log-level <level>', 'log level for JSON logs on stderr (fatal..trace, silent)');
}

export function loadCommandConfig(opts: CommonOptions): VocConfig {
  const overrides: { path: string[]; value: unknown }[] = [];
  if (opts.store) overrides.push({ path: ['store', 'path'], value: opts.store });
  if (opts.logLevel) overrides.push({ path: ['logLevel'], value: opts.logLevel });
  return loadConfig({ file: opts.config, overrides });
}

export interface CommandContext extends ComponentContext {
  config: VocConfig;
  abort: AbortController;
}

/**
 * Builds the context of one command. Interactive commands log at warn unless told otherwise, so
 * that stdout carries results and stderr only what needs a person's attention.
 */
export function commandContext(opts: CommonOptions, interactive = true): CommandContext {
  const config = loadCommandConfig(opts);
  const level = opts.logLevel ?? process.env.VOC_LOG_LEVEL ?? (interactive ? 'warn' : config.logLevel);
  const abort = new AbortController();
  return { config, abort, signal: abort.signal, logger: createLogger({ level }), metrics: new PipelineMetrics() };
}

/** Prints an error for a person: typed errors as one clear line (exit 2 for config, else 1); bugs with their stack. */
export function reportCommandError(err: unknown): void {
  if (err instanceof PipelineError) {
    process.stderr.write(`voc: ${err.message} [${err.code}]\n`);
    if (err.cause instanceof Error && err.cause.constructor.name !== 'ZodError') process.stderr.write(`  cause: ${err.cause.message}\n`);
    process.exitCode = err.name === 'ConfigError' ? 2 : 1;
  } else {
    process.stderr.write(`voc: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}

/** Runs a command body; typed errors become one clear line on stderr and exit code 2 (config) or 1. */
export async function runCommand(body: () => Promise<number | undefined>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (err) {
    reportCommandError(err);
  }
}
