import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { z } from 'zod';
import { createNlpStage } from '../nlp/stage.js';
import { addCommonOptions, commandContext, runCommand, type CommonOptions } from './context.js';

const TagInputSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).describe('Caller id, echoed back.'),
  text: z.string().describe('Feedback text.'),
});

/**
 * `voc tag`: the NLP stage alone, JSONL in, JSONL out, one output line per input line (the output
 * shape is the public contract in the README). A bad line yields an `error` line, so line N of the
 * output always answers line N of the input.
 */
export function tagCommand(): Command {
  const cmd = new Command('tag')
    .description('Run the NLP stage on JSONL {"id","text"} from stdin; write one JSONL analysis per line to stdout.')
    .addHelpText(
      'after',
      `
Example:
  echo '{"id":"1","text":"車機常常當機，換擋頓挫，電話13812345678"}' | voc tag

Output fields: id, text (normalised, redacted), script, region, tokens, redactions, hits[] (code,
label, domain, domainLabel, term, span, clause, clauseIndex, sentiment, intensity, needLayer,
department, sentimentSource), sentiment {polarity, score}, codeFrame {version, hash}.`,
    );
  addCommonOptions(cmd).action((opts: CommonOptions) =>
    runCommand(async () => {
      const ctx = commandContext(opts);
      const stage = await createNlpStage({ codeFramePath: ctx.config.nlp.codeFrame });
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let lineNo = 0;
      let failed = 0;
      for await (const line of rl) {
        lineNo++;
        if (line.trim() === '') continue;
        let out: unknown;
        try {
          const input = TagInputSchema.parse(JSON.parse(line));
          out = { id: input.id, ...stage.analyze(input.text) };
        } catch (err) {
          failed++;
          out = { id: null, line: lineNo, error: { code: err instanceof SyntaxError ? 'BAD_JSON' : 'BAD_INPUT', message: 'Expected a JSON object with string "id" and "text".' } };
        }
        if (!process.stdout.write(JSON.stringify(out) + '\n')) await new Promise((r) => process.stdout.once('drain', r));
      }
      return failed > 0 ? 1 : 0;
    }),
  );
  return cmd;
}
