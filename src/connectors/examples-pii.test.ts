import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../core/config.js';
import type { Channel } from '../core/feedback-event.js';
import { EXAMPLE_IDENTIFIERS } from './example-identifiers.js';
import { detectEncoding } from './files/decode.js';
import { readChannelFile } from './registry.js';
import { collect, testPseudonymizer } from './test-helpers.js';

const CONFIG: Partial<Record<Channel, unknown>> = {
  private_domain: (readConfigFile('examples/private_domain/voc.yaml').connectors as Record<string, unknown>).private_domain,
};

describe.each(Object.entries(EXAMPLE_IDENTIFIERS) as [Channel, Record<string, string[]>][])('%s examples publish no raw identifier', (channel, files) => {
  it.each(Object.entries(files))('%s', async (file, identifiers) => {
    const outcomes = await collect(readChannelFile(channel, file, { pseudonymizer: testPseudonymizer(), config: CONFIG[channel] }));
    const published = outcomes.flatMap((o) => (o.kind === 'event' ? [JSON.stringify({ ...o.event, text: undefined })] : []));
    const letters = outcomes.flatMap((o) => (o.kind === 'dead_letter' ? [JSON.stringify(o.letter)] : []));
    expect(published.length).toBeGreaterThan(0);
    const everything = [...published, ...letters].join('\n');
    const leaked = identifiers.filter((id) => everything.includes(id));
    expect(leaked).toEqual([]);
    // The test must be able to fail: every listed identifier really is in the input (as written,
    // or as its digits without spaces and dashes).
    const bytes = readFileSync(file);
    const input = iconv.decode(bytes, detectEncoding(bytes, true));
    const compact = input.replace(/[\s-]/g, '');
    expect(identifiers.filter((id) => !input.includes(id) && !compact.includes(id))).toEqual([]);
  });
});
