import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { ModelStageConfigSchema, locateModel, parseModelStageConfig } from './config.js';

describe('model stage config', () => {
  it('is off by default and parses an empty section', () => {
    const cfg = parseModelStageConfig(undefined, {});
    expect(cfg.enabled).toBe(false);
    expect(cfg.dtype).toBe('q8');
    expect(cfg.discovery.maxExamples).toBeLessThanOrEqual(3);
    expect(ModelStageConfigSchema.parse({}).enabled).toBe(false);
  });

  it('takes the model directory and the switch from the environment', () => {
    const cfg = parseModelStageConfig(
      { modelDir: '/from/config', sentimentModel: 'm' },
      { VOC_MODEL_DIR: '/from/env', VOC_MODEL_ENABLED: 'true' },
    );
    expect(cfg.modelDir).toBe('/from/env');
    expect(cfg.enabled).toBe(true);
  });

  it('rejects an enabled stage with no model, naming the key', () => {
    let err: unknown;
    try {
      parseModelStageConfig({ enabled: true }, {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain('model.sentimentModel');
  });

  it('rejects unknown keys and a bad VOC_MODEL_ENABLED', () => {
    expect(() => parseModelStageConfig({ batchsize: 3 }, {})).toThrow(ConfigError);
    expect(() => parseModelStageConfig({}, { VOC_MODEL_ENABLED: 'yes please' })).toThrow(ConfigError);
  });

  it('resolves ids under modelDir and paths by themselves', () => {
    const byId = locateModel('org/bge-small-zh', '/models', '/cwd');
    expect(byId.dir).toBe(resolve('/models/org/bge-small-zh'));
    expect(byId.localModelPath).toBe(resolve('/models'));
    expect(byId.modelId).toBe('org/bge-small-zh');
    const byPath = locateModel('../m/sentiment', undefined, '/srv/app');
    expect(byPath.dir).toBe(resolve('/srv/m/sentiment'));
    expect(byPath.localModelPath).toBe(resolve('/srv/m'));
    expect(byPath.modelId).toBe('sentiment');
  });

  it('refuses a model id without a model directory (never downloads)', () => {
    try {
      locateModel('bge-small-zh', undefined);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('MODEL_DIR_MISSING');
    }
  });
});
