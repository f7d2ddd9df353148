// `npm run codeframe:lint` / `npm run codeframe:stats`: the same commands as `voc codeframe lint|stats`,
// runnable from the sources (CI runs the lint before the build).
import { codeframeCommand } from '../src/cli/codeframe.js';
import { PipelineError } from '../src/core/errors.js';

try {
  await codeframeCommand().parseAsync(process.argv.slice(2), { from: 'user' });
} catch (err) {
  if (!(err instanceof PipelineError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 2;
}
