import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../core/config.js';
import { CHANNELS, type Channel } from '../core/feedback-event.js';
import { readChannelFile } from './registry.js';
import { collect, FIXED_NOW, testPseudonymizer } from './test-helpers.js';

/**
 * Golden outputs: what each channel's examples become (events, dead letters, skips) under a fixed
 * key and clock. A change in any connector shows up as a diff here; `UPDATE_GOLDEN=1` rewrites the
 * files, and the diff is read before committing.
 */
const GOLDEN_DIR = 'src/connectors/golden';
const CONFIG: Partial<Record<Channel, unknown>> = {
  private_domain: (readConfigFile('examples/private_domain/voc.yaml').connectors as Record<string, unknown>).private_domain,
};

describe.each(CHANNELS)('%s examples match the golden output', (channel) => {
  it('is unchanged', async () => {
    const outcomes = await collect(readChannelFile(channel, `examples/${channel}`, { pseudonymizer: testPseudonymizer(), now: () => FIXED_NOW, config: CONFIG[channel] }));
    const actual = `${JSON.stringify(outcomes, null, 2)}\n`;
    const file = join(GOLDEN_DIR, `${channel}.json`);
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(GOLDEN_DIR, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });
});
