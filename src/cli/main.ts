#!/usr/bin/env node
import { Command } from 'commander';
import { codeframeCommand } from './codeframe.js';
import { commandContext, reportCommandError } from './context.js';
import { readDiscoveredTopics } from '../nlp/model/index.js';
import { openSink } from '../runner/wiring.js';
import { SqlSink } from '../sinks/sql/sql-sink.js';
import { suggestCommand } from './codeframe-suggest.js';
import { migrateCommand } from './migrate.js';
import { replayCommand } from './replay.js';
import { serveCommand } from './serve.js';
import { sqlCommand } from './sql.js';
import { tagCommand } from './tag.js';

const program = new Command('voc')
  .description('voc-stream: automotive Voice-of-Customer streaming NLP — connectors → bus → Chinese NLP → ClickHouse aggregates.')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
With no Kafka or ClickHouse configured everything runs in one process (in-memory bus, chDB store
in ./.voc). Set VOC_KAFKA_BROKERS / VOC_CLICKHOUSE_URL (or config/voc.yaml) to use real servers.`,
  );

program.addCommand(replayCommand());
program.addCommand(sqlCommand());
program.addCommand(tagCommand());
program.addCommand(migrateCommand());
program.addCommand(
  codeframeCommand().addCommand(
    suggestCommand({
      // Without --from, topics come from the configured store's discovered_topics table.
      loadTopics: async (o) => {
        const ctx = commandContext({});
        const sink = await openSink(ctx);
        try {
          if (!(sink instanceof SqlSink)) return [];
          return await readDiscoveredTopics(sink.tableAccess(), o);
        } finally {
          await sink.close();
        }
      },
    }),
  ),
);
program.addCommand(serveCommand());

try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Commands that do not wrap their body in runCommand still report typed errors in one line.
  reportCommandError(err);
}
