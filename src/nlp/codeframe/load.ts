import { ConfigError } from '../../core/errors.js';
import { buildCodeFrame, defaultCodeFramePath, readCodeFrameDocument } from './document.js';
import { lintCodeFrame } from './lint.js';
import type { CodeFrame } from './types.js';

/**
 * Loads, validates and lints the unified code frame (default: config/codeframe.yaml in the package,
 * found from src/ and dist/ alike). A frame with lint errors never runs: ConfigError lists them with
 * their YAML paths. The hash is the sha256 of the canonical JSON of the validated document.
 *
 * This module exports only this function (the NLP stage picks it up by import).
 */
export function loadCodeFrame(path?: string): CodeFrame {
  const file = path ?? defaultCodeFramePath();
  const doc = readCodeFrameDocument(file);
  const errors = lintCodeFrame(doc).filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.slice(0, 20).map((i) => `  ${i.path}: [${i.rule}] ${i.message}`);
    const more = errors.length > 20 ? `\n  … and ${errors.length - 20} more` : '';
    throw new ConfigError(`Code frame ${file} has ${errors.length} lint error(s) (run \`voc codeframe lint\`):\n${lines.join('\n')}${more}`, {
      code: 'CODEFRAME_INVALID',
    });
  }
  return buildCodeFrame(doc);
}
