import { Command } from 'commander';
import type { CodeFrameDocument } from '../nlp/codeframe/document.js';
import { defaultCodeFramePath, defaultLexiconDir, readCodeFrameDocument } from '../nlp/codeframe/document.js';
import type { LintIssue } from '../nlp/codeframe/lint.js';
import { lintCodeFrame } from '../nlp/codeframe/lint.js';
import { readPolarityWords } from '../nlp/codeframe/polarity-words.js';
import { codeFrameStats, formatCodeFrameStats } from '../nlp/codeframe/stats.js';

export interface CodeframeCommandDeps {
  /** Where output goes (default stdout). */
  write?: (text: string) => void;
  /** Sets the process exit code (default: process.exitCode). */
  setExitCode?: (code: number) => void;
}

interface FrameOptions {
  frame?: string;
  json?: boolean;
}

/** `voc codeframe lint|stats`: checks and counts the unified code frame (config/codeframe.yaml). */
export function codeframeCommand(deps: CodeframeCommandDeps = {}): Command {
  const write = deps.write ?? ((t: string) => void process.stdout.write(t));
  const setExitCode = deps.setExitCode ?? ((c: number) => void (process.exitCode = c));
  const read = (opts: FrameOptions): CodeFrameDocument => readCodeFrameDocument(opts.frame ?? defaultCodeFramePath());

  const cmd = new Command('codeframe').description('Check and count the unified code frame (统一码框).');

  cmd
    .command('lint')
    .description('Duplicate terms across codes (after Traditional→Simplified), bad ids, empty leaves, conflicting polarity, unknown departments/need layers. Exit code 1 on errors.')
    .option('--frame <path>', 'code frame YAML (default: config/codeframe.yaml in the package)')
    .option('--lexicon <dir>', 'sentiment lexicon directory for the polarity check (default: config/lexicon)')
    .option('--no-lexicon', 'skip the conflicting-polarity check against the lexicon')
    .option('--json', 'print the issues as JSON')
    .action((opts: FrameOptions & { lexicon?: string | false }) => {
      const doc = read(opts);
      const polarity = opts.lexicon === false ? undefined : readPolarityWords(opts.lexicon ?? defaultLexiconDir());
      const issues = lintCodeFrame(doc, polarity ? { polarity } : {});
      const errors = issues.filter((i) => i.severity === 'error').length;
      if (opts.json) write(`${JSON.stringify({ version: doc.version, errors, warnings: issues.length - errors, issues }, null, 2)}\n`);
      else write(formatIssues(doc, issues, errors));
      if (errors > 0) setExitCode(1);
    });

  cmd
    .command('stats')
    .description('Counts per domain and level: components, leaves, terms, variants, polarity, need layers, departments.')
    .option('--frame <path>', 'code frame YAML (default: config/codeframe.yaml in the package)')
    .option('--json', 'print the counts as JSON')
    .action((opts: FrameOptions) => {
      const stats = codeFrameStats(read(opts));
      write(opts.json ? `${JSON.stringify(stats, null, 2)}\n` : formatCodeFrameStats(stats));
    });

  return cmd;
}

function formatIssues(doc: CodeFrameDocument, issues: LintIssue[], errors: number): string {
  const lines = issues.map((i) => `${i.severity === 'error' ? 'error  ' : 'warning'} ${i.rule.padEnd(22)} ${i.path}: ${i.message}`);
  lines.push(`code frame ${doc.version}: ${errors} error(s), ${issues.length - errors} warning(s).`);
  return `${lines.join('\n')}\n`;
}
