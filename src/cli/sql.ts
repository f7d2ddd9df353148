import { Command } from 'commander';
import { openSink } from '../runner/wiring.js';
import { addCommonOptions, commandContext, runCommand, type CommonOptions } from './context.js';
import { resolveFormat, STORE_FORMAT } from './format.js';

interface SqlOptions extends CommonOptions {
  format?: string;
}

export function sqlCommand(): Command {
  const cmd = new Command('sql')
    .description('Run SQL on the configured store (embedded chDB, or the ClickHouse server).')
    .argument('<query>', 'the SQL to run')
    .option('-f, --format <format>', 'table | json | csv | tsv (tsv has no header row); default table on a TTY, else tsv')
    .addHelpText(
      'after',
      `
Examples:
  voc sql "SELECT channel, count() FROM events GROUP BY channel"
  voc sql --format json "SELECT * FROM v_code_trend_daily LIMIT 10"
  VOC_CLICKHOUSE_URL=http://127.0.0.1:8123 voc sql "SHOW TABLES"

Tables and views are described in docs/sql.md.`,
    );
  addCommonOptions(cmd).action((query: string, opts: SqlOptions) =>
    runCommand(async () => {
      const format = resolveFormat(opts.format, Boolean(process.stdout.isTTY));
      const ctx = commandContext(opts);
      const sink = await openSink(ctx);
      try {
        const out = await sink.query(query, STORE_FORMAT[format]);
        process.stdout.write(out.endsWith('\n') || out === '' ? out : out + '\n');
      } finally {
        await sink.close();
      }
      return 0;
    }),
  );
  return cmd;
}
