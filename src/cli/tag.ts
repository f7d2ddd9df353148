import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { z } from 'zod';
import type { NlpResult } from '../core/enriched-event.js';
import { eventId, FEEDBACK_EVENT_SCHEMA_VERSION, type FeedbackEvent } from '../core/feedback-event.js';
import { createModelStage, parseModelStageConfig } from '../nlp/model/index.js';
import { createNlpStage } from '../nlp/stage.js';
import { addCommonOptions, commandContext, runCommand, type CommonOptions } from './context.js';

const TagInputSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).describe('Caller id, echoed back.'),
  text: z.string().describe('Feedback text.'),
});

/** The model stage works on envelopes; `voc tag` has only id and text, so it wraps them. */
function placeholderEvent(id: string, text: string): FeedbackEvent {
  const now = new Date().toISOString();
  return {
    schemaVersion: FEEDBACK_EVENT_SCHEMA_VERSION,
    id: eventId('social', 'voc-tag', id),
    channel: 'social',
    source: 'voc-tag',
    sourceId: id,
    occurredAt: now,
    receivedAt: now,
    text,
    authorKey: null,
    context: {},
    consent: { coCreation: false },
  };
}

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
      // With model.enabled the optional model stage refines each batch; the output then carries nlp.model.
      const model = await createModelStage(parseModelStageConfig(ctx.config.model ?? {}), ctx);
      const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
      let lineNo = 0;
      let failed = 0;
      let pending: { lineNo: number; out: Record<string, unknown> }[] = [];
      const flush = async (): Promise<void> => {
        let outs = pending.map((p) => p.out);
        if (model.enabled) {
          const ok = pending.filter((p) => !('error' in p.out));
          const refined = await model.refine(
            ok.map((p) => ({ event: placeholderEvent(String(p.out.id), String(p.out.text)), nlp: p.out as unknown as NlpResult })),
          );
          const byLine = new Map(ok.map((p, i) => [p.lineNo, refined[i]]));
          outs = pending.map((p) => {
            const r = byLine.get(p.lineNo);
            return r ? { id: p.out.id, ...r.nlp } : p.out;
          });
        }
        for (const out of outs) {
          if (!process.stdout.write(JSON.stringify(out) + '\n')) await new Promise((r) => process.stdout.once('drain', r));
        }
        pending = [];
      };
      try {
        for await (const line of rl) {
          lineNo++;
          if (line.trim() === '') continue;
          let out: Record<string, unknown>;
          try {
            const input = TagInputSchema.parse(JSON.parse(line));
            out = { id: input.id, ...stage.analyze(input.text) };
          } catch (err) {
            failed++;
            out = { id: null, line: lineNo, error: { code: err instanceof SyntaxError ? 'BAD_JSON' : 'BAD_INPUT', message: 'Expected a JSON object with string "id" and "text".' } };
          }
          pending.push({ lineNo, out });
          if (pending.length >= 64) await flush();
        }
        await flush();
      } finally {
        await model.close();
      }
      return failed > 0 ? 1 : 0;
    }),
  );
  return cmd;
}
