import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import type { ModelDtype, ModelLocation } from './config.js';
import { MODEL_DTYPE_FILES } from './config.js';

export interface ModelDirInfo {
  dir: string;
  modelType: string | null;
  maxPositionEmbeddings: number | null;
  /** id2label in index order, for classifiers. */
  labels: string[];
  onnxFile: string;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readJson(path: string, role: string, dir: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Model directory ${dir}: expected ${role} at ${path}, got none`, { code: 'MODEL_INVALID', cause: err });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`Model directory ${dir}: expected ${role} ${path} to hold a JSON object, got unparsable content`, {
      code: 'MODEL_INVALID',
      cause: err,
    });
  }
}

/**
 * Check a model directory before anything loads it, so that a wrong path fails start-up at once
 * with the path in the message (transformers.js, offline, would otherwise report a missing file by
 * its own relative name). The layout is what transformers.js reads: config.json, tokenizer.json,
 * tokenizer_config.json and onnx/<variant>.onnx. Content errors that only the runtime can see
 * (a truncated .onnx) are caught when the worker loads and probes the model.
 */
export function checkModelDir(location: ModelLocation, dtype: ModelDtype, role: 'sentiment' | 'embedding'): ModelDirInfo {
  const { dir } = location;
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new ConfigError(
      `Model directory for the ${role} model ${JSON.stringify(location.ref)}: expected a directory at ${dir}, got none (set model.modelDir or VOC_MODEL_DIR)`,
      { code: 'MODEL_DIR_MISSING' },
    );
  }
  const config = readJson(join(dir, 'config.json'), 'config.json', dir);
  readJson(join(dir, 'tokenizer_config.json'), 'tokenizer_config.json', dir);
  readJson(join(dir, 'tokenizer.json'), 'tokenizer.json', dir);
  const onnxFile = join(dir, 'onnx', MODEL_DTYPE_FILES[dtype]);
  if (!isFile(onnxFile)) {
    throw new ConfigError(`Model directory ${dir}: expected ONNX weights for dtype ${dtype} at ${onnxFile}, got none`, {
      code: 'MODEL_INVALID',
    });
  }
  const id2label = config.id2label;
  const labels: string[] = [];
  if (id2label && typeof id2label === 'object') {
    const map = id2label as Record<string, unknown>;
    for (let i = 0; i < Object.keys(map).length; i++) labels.push(String(map[String(i)] ?? `LABEL_${i}`));
  }
  if (role === 'sentiment' && labels.length === 0) {
    throw new ConfigError(`Model directory ${dir}: expected config.json id2label for a text-classification model, got none`, {
      code: 'MODEL_INVALID',
    });
  }
  const maxPos = config.max_position_embeddings;
  return {
    dir,
    modelType: typeof config.model_type === 'string' ? config.model_type : null,
    maxPositionEmbeddings: typeof maxPos === 'number' ? maxPos : null,
    labels,
    onnxFile,
  };
}
