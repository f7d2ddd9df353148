import { Command } from 'commander';
import { openSink } from '../runner/wiring.js';
import { SqlSink } from '../sinks/sql/sql-sink.js';
import { addCommonOptions, commandContext, runCommand, type CommonOptions } from './context.js';

interface MigrateOptions extends CommonOptions {
  json?: boolean;
}

/**
 * `voc migrate`: applies the versioned migrations of schemas/clickhouse/ to the configured store and
 * (re)creates the published views with the configured k. Idempotent: a second run applies nothing.
 * The service and the replay do the same on start; this command is for operators who want it done
 * (and shown) before.
 */
export function migrateCommand(): Command {
  const cmd = new Command('migrate')
    .description('Apply the SQL migrations and views to the configured store (idempotent).')
    .option('--json', 'print the result as one JSON object')
    .addHelpText(
      'after',
      `
Examples:
  voc migrate                                   # the embedded store in ./.voc
  voc migrate --store /data/voc
  VOC_CLICKHOUSE_URL=http://127.0.0.1:8123 voc migrate

Migrations are schemas/clickhouse/migrations/NNNN_name.sql, recorded in schema_migrations;
see docs/sql.md.`,
    );
  addCommonOptions(cmd).action((opts: MigrateOptions) =>
    runCommand(async () => {
      const ctx = commandContext(opts);
      const sink = await openSink(ctx);
      try {
        const health = await sink.healthcheck();
        const migrations = sink instanceof SqlSink ? sink.migrations : [];
        const applied = migrations.filter((m) => m.applied).length;
        const k = ctx.config.store.kAnonymity;
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ store: sink.name, version: health.version, k, migrations })}\n`);
        } else {
          for (const m of migrations) {
            process.stdout.write(`${String(m.version).padStart(4, '0')} ${m.name.padEnd(24)} ${m.applied ? 'applied now' : 'already applied'}\n`);
          }
          process.stdout.write(
            `voc migrate: ${sink.name} ${health.version ?? ''} — ${applied} applied, ${migrations.length - applied} already there; views with k=${k}.\n`,
          );
        }
      } finally {
        await sink.close();
      }
      return 0;
    }),
  );
  return cmd;
}
