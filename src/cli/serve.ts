import { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { resolvePseudonymKey } from '../core/pseudonym.js';
import { openPipeline } from '../runner/wiring.js';
import { parseRoles, resolveServiceConfig, type ServiceFlags } from '../service/config.js';
import { CredentialStore } from '../service/credentials.js';
import { VocService } from '../service/server.js';
import { pipelineTopicsFromConfig } from '../runner/pipeline-topics.js';
import { addCommonOptions, commandContext, runCommand, type CommonOptions } from './context.js';

interface ServeOptions extends CommonOptions {
  host?: string;
  port?: string;
  roles?: string;
  drainDeadline?: string;
}

function intFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(`--${name}: expected a non-negative number, got "${value}".`);
  return n;
}

export function serveCommand(): Command {
  const cmd = new Command('serve')
    .description('Run the long-running service: HTTP ingest API, NLP consumer group and store, with /healthz, /readyz and /metrics.')
    .option('--host <address>', 'address to listen on (default 127.0.0.1; 0.0.0.0 in a container)')
    .option('--port <port>', 'HTTP port (default 8080; 0 = any free port)')
    .option('--roles <roles>', 'ingest, process, or ingest,process (default: both in one process)')
    .option('--drain-deadline <seconds>', 'on SIGTERM/SIGINT, exit non-zero if draining takes longer (default 30)')
    .addHelpText(
      'after',
      `
Requires VOC_PSEUDONYM_KEY (at least 16 bytes). Ingest credentials per channel come from the
environment or files, never from the config file:
  VOC_INGEST_TOKEN_<CHANNEL>[_FILE]   bearer tokens (comma- or line-separated, for rotation)
  VOC_INGEST_HMAC_<CHANNEL>[_FILE]    HMAC-SHA256 keys: X-Voc-Signature over "<X-Voc-Timestamp>.<body>"
where <CHANNEL> is HOTLINE, SURVEY, PRIVATE_DOMAIN, SOCIAL or DEALER.

Endpoints:
  POST /v1/ingest/<channel>   one JSON record, a JSON array, or NDJSON (Content-Type application/x-ndjson)
  GET  /healthz  /readyz  /metrics

Examples:
  VOC_PSEUDONYM_KEY=$(openssl rand -hex 32) VOC_INGEST_TOKEN_SURVEY=$(openssl rand -hex 24) voc serve
  VOC_KAFKA_BROKERS=kafka:9092 VOC_CLICKHOUSE_URL=http://ch:8123 voc serve --roles ingest --host 0.0.0.0
  VOC_KAFKA_BROKERS=kafka:9092 VOC_CLICKHOUSE_URL=http://ch:8123 voc serve --roles process

See docs/operations.md.`,
    );
  addCommonOptions(cmd).action(async (opts: ServeOptions) => {
    await runCommand(async () => {
      const ctx = commandContext(opts, false);
      const flags: ServiceFlags = {
        host: opts.host,
        port: intFlag('port', opts.port),
        roles: opts.roles === undefined ? undefined : parseRoles(opts.roles),
        drainDeadlineSeconds: intFlag('drain-deadline', opts.drainDeadline),
      };
      const service = resolveServiceConfig(ctx.config, flags);
      // Refuse to start without the key: a per-store generated key would give the platform
      // pseudonyms that no other instance can reproduce.
      resolvePseudonymKey({ env: process.env, required: true });
      const credentials = CredentialStore.fromEnv(process.env);
      if (service.roles.includes('ingest') && credentials.size === 0) {
        throw new ConfigError(
          'The ingest role has no credential: expected at least one of VOC_INGEST_TOKEN_<CHANNEL> or VOC_INGEST_HMAC_<CHANNEL> (or …_FILE) in the environment.',
          { code: 'CREDENTIALS_MISSING' },
        );
      }

      const topics = pipelineTopicsFromConfig(ctx.config);
      const pipeline = await openPipeline(ctx, { requirePseudonymKey: true });
      const svc = new VocService({
        service,
        bus: pipeline.bus,
        sink: pipeline.sink,
        stage: pipeline.stage,
        pool: pipeline.pool,
        topics: topics.names,
        topicSpecs: topics.specs,
        pseudonymizer: pipeline.pseudonymizer(),
        credentials,
        logger: ctx.logger,
        metrics: ctx.metrics,
        group: ctx.config.pipeline.group,
        batchSize: ctx.config.pipeline.batchSize,
        maxRecordBytes: ctx.config.pipeline.maxRecordBytes,
        connectors: ctx.config.connectors,
        refine: pipeline.refine,
        publishDeadLetters: pipeline.bus.name !== 'memory',
        // The memory bus forgets everything when the process ends: it is drained before stopping.
        busIsDurable: pipeline.bus.name !== 'memory',
      });
      try {
        await svc.start();
      } catch (err) {
        await pipeline.close();
        throw err;
      }
      process.stdout.write(`voc serve: listening on ${svc.url} (roles ${service.roles.join(',')}; bus ${pipeline.bus.name}; store ${pipeline.sink.name})\n`);

      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      ctx.logger.info({ signal, deadlineSeconds: service.drainDeadlineSeconds }, 'Signal received: draining.');
      process.on('SIGINT', () => {
        process.stderr.write('voc serve: second SIGINT: exiting without finishing the drain.\n');
        process.exit(130);
      });
      process.on('SIGTERM', () => ctx.logger.warn({}, 'Already draining; SIGTERM ignored.'));
      const deadline = setTimeout(() => {
        ctx.logger.error({ deadlineSeconds: service.drainDeadlineSeconds }, 'Drain deadline passed: exiting before the drain finished.');
        process.stderr.write(`voc serve: drain did not finish within ${service.drainDeadlineSeconds} s; exiting with code 1.\n`);
        process.exit(1);
      }, service.drainDeadlineSeconds * 1000);
      try {
        await svc.drain();
      } finally {
        clearTimeout(deadline);
      }
      process.stdout.write(`voc serve: drained and stopped (${svc.counters.read} ingested, ${svc.counters.processed} processed).\n`);
      return 0;
    });
    // A client library may keep a timer alive after close; the work is done, so do not wait for it.
    setTimeout(() => process.exit(), 2000).unref();
  });
  return cmd;
}
