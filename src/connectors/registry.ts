import { statSync } from 'node:fs';
import type { z } from 'zod';
import type { ComponentContext } from '../core/component.js';
import { formatZodIssues } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import type { Channel } from '../core/feedback-event.js';
import type { Pseudonymizer } from '../core/pseudonym.js';
import type { Connector, ParseOutcome } from './connector.js';
import type { FileEncoding } from './common/config.js';
import { deadLetter } from './common/outcome.js';
import { makeParseContext, type ParseContext, type ParseContextOptions } from './common/parse-context.js';
import { DealerConfigSchema, type DealerConfig } from './dealer/config.js';
import * as dealer from './dealer/parse.js';
import { FileConnector } from './files/file-connector.js';
import { readBound, type BoundParsers, type CommonConnectorConfig } from './files/bound.js';
import { listChannelFiles, supportedFormats, type FileFormat, type RecordParsers } from './files/read-records.js';
import { HotlineConfigSchema, type HotlineConfig } from './hotline/config.js';
import * as hotline from './hotline/parse.js';
import { PrivateDomainConfigSchema, type PrivateDomainConfig } from './private-domain/config.js';
import * as privateDomain from './private-domain/parse.js';
import { SocialConfigSchema, type SocialConfig } from './social/config.js';
import * as social from './social/parse.js';
import { SurveyConfigSchema, type SurveyConfig } from './survey/config.js';
import * as survey from './survey/parse.js';

/** A connector is created with the pseudonymiser (the key is the caller's: env or per-store file). */
export interface ConnectorContext extends ComponentContext {
  pseudonymizer: Pseudonymizer;
  /** receivedAt clock; the wall clock by default. */
  now?: () => Date;
}

export interface ConnectorDefinition<S extends z.ZodType = z.ZodType, C extends CommonConnectorConfig = CommonConnectorConfig> {
  kind: 'connector';
  /** snake_case; equal to the channel. */
  name: Channel;
  summary: string;
  configSchema: S;
  /** File formats replay reads for this channel, by extension: .json (array or objects), .jsonl/.ndjson, .csv, .tsv. */
  formats: readonly FileFormat[];
  /** The pure core for one JSON record (a replayed line, an HTTP-pushed payload). Never throws. */
  parseRecord(raw: unknown, position: string, ctx: ParseContext<C>): ParseOutcome[];
  /** The pure core for one CSV row (header → value), when the channel has CSV exports. Never throws. */
  parseCsvRow?: (row: Record<string, string>, position: string, ctx: ParseContext<C>) => ParseOutcome[];
  /** Validates a raw config section (throws ConfigError naming the key) with the schema's defaults. */
  parseConfig(raw: unknown): C;
  createParseContext(config: C, opts: ParseContextOptions): ParseContext<C>;
  /** Binds the parsers to a new parse context: what replay and the HTTP endpoint hold on to. */
  bind(rawConfig: unknown, opts: ParseContextOptions): BoundParsers;
  /** A Connector reading `config.paths` (files or directories). */
  create(config: C, ctx: ConnectorContext): Connector;
}

/** The channel-independent view of a definition: what generic callers (replay, the service) use. */
export interface AnyConnectorDefinition {
  kind: 'connector';
  name: Channel;
  summary: string;
  configSchema: z.ZodType;
  formats: readonly FileFormat[];
  parseConfig(raw: unknown): CommonConnectorConfig;
  bind(rawConfig: unknown, opts: ParseContextOptions): BoundParsers;
}

function defineConnector<S extends z.ZodType<C, unknown>, C extends CommonConnectorConfig>(def: {
  name: Channel;
  summary: string;
  configSchema: S;
  parseRecord: (raw: unknown, position: string, ctx: ParseContext<C>) => ParseOutcome[];
  parseCsvRow?: (row: Record<string, string>, position: string, ctx: ParseContext<C>) => ParseOutcome[];
  fingerprintCapacity?: (config: C) => number;
}): ConnectorDefinition<S, C> {
  const parseConfig = (raw: unknown): C => {
    const parsed = def.configSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      throw new ConfigError(`Invalid configuration: ${formatZodIssues(parsed.error, `connectors.${def.name}`)}.`, { cause: parsed.error });
    }
    return parsed.data;
  };
  const createParseContext = (config: C, opts: ParseContextOptions): ParseContext<C> =>
    makeParseContext(def.name, config, { ...opts, fingerprintCapacity: opts.fingerprintCapacity ?? def.fingerprintCapacity?.(config) });
  const bindConfig = (config: C, opts: ParseContextOptions): BoundParsers => {
    const ctx = createParseContext(config, opts);
    const csv = def.parseCsvRow;
    return {
      channel: def.name,
      config,
      json: (raw, position) => def.parseRecord(raw, position, ctx),
      ...(csv ? { csv: (row: Record<string, string>, position: string) => csv(row, position, ctx) } : {}),
      deadLetter: (input) => deadLetter(ctx, input),
    };
  };
  const formats = supportedFormats({ json: def.parseRecord, ...(def.parseCsvRow ? { csv: def.parseCsvRow } : {}) } as RecordParsers);
  return {
    kind: 'connector',
    name: def.name,
    summary: def.summary,
    configSchema: def.configSchema,
    formats,
    parseRecord: def.parseRecord,
    ...(def.parseCsvRow ? { parseCsvRow: def.parseCsvRow } : {}),
    parseConfig,
    createParseContext,
    bind: (rawConfig, opts) => bindConfig(parseConfig(rawConfig), opts),
    create: (config, ctx) => new FileConnector(def.name, bindConfig(config, { pseudonymizer: ctx.pseudonymizer, now: ctx.now }), formats, ctx),
  };
}

/** The five channel connectors, by channel name (explicit: no side-effect registration). */
export const connectorRegistry = {
  hotline: defineConnector<typeof HotlineConfigSchema, HotlineConfig>({
    name: 'hotline',
    summary: '400 call centre: call transcripts (JSON, customer turns only) and work orders (CSV).',
    configSchema: HotlineConfigSchema,
    parseRecord: hotline.parseRecord,
    parseCsvRow: hotline.parseCsvRow,
  }),
  survey: defineConnector<typeof SurveyConfigSchema, SurveyConfig>({
    name: 'survey',
    summary: 'Surveys: CSV exports and JSON webhook payloads; one event per open answer, NPS/CSAT in context.',
    configSchema: SurveyConfigSchema,
    parseRecord: survey.parseRecord,
    parseCsvRow: survey.parseCsvRow,
  }),
  private_domain: defineConnector<typeof PrivateDomainConfigSchema, PrivateDomainConfig>({
    name: 'private_domain',
    summary: 'Private domain: WeCom archived chat messages and owner-app posts and comments.',
    configSchema: PrivateDomainConfigSchema,
    parseRecord: privateDomain.parseRecord,
    parseCsvRow: privateDomain.parseCsvRow,
  }),
  social: defineConnector<typeof SocialConfigSchema, SocialConfig>({
    name: 'social',
    summary: 'Social listening: vendor JSON Lines feed (Weibo, Douyin, Autohome, Dongchedi, Xiaohongshu, Mobile01, PTT); duplicates counted once.',
    configSchema: SocialConfigSchema,
    parseRecord: social.parseRecord,
    fingerprintCapacity: (c) => c.dedupWindow,
  }),
  dealer: defineConnector<typeof DealerConfigSchema, DealerConfig>({
    name: 'dealer',
    summary: 'Dealers (店端): DMS service-order / service-feedback CSV; VIN and order number pseudonymised.',
    configSchema: DealerConfigSchema,
    parseRecord: dealer.parseRecord,
    parseCsvRow: dealer.parseCsvRow,
  }),
} as const satisfies Record<Channel, AnyConnectorDefinition>;

export type ConnectorRegistry = typeof connectorRegistry;

export interface ReadChannelFileOptions {
  pseudonymizer: Pseudonymizer;
  /** The raw `connectors.<channel>` config section; validated with the connector's schema (defaults apply). */
  config?: unknown;
  /** Called with the raw byte count of every chunk read, for a progress bar. */
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
  /** receivedAt clock; the wall clock by default. */
  now?: () => Date;
  /** Forces a format instead of choosing by extension (needed for stdin "-" only when sniffing is not enough). */
  format?: FileFormat;
  /** Overrides the config's encoding. */
  encoding?: FileEncoding;
}

/**
 * Reads a channel's export — one file, "-" for stdin, or a directory (every file of the channel's
 * formats under it, in name order) — into parse outcomes, in bounded memory. One parse context
 * serves all files of the call, so duplicates are recognised across files.
 *
 * Throws ConfigError at once (not on first iteration) for an invalid config section, an unknown
 * channel or a missing input; after that every record yields at least one outcome and nothing
 * throws except an abort.
 */
export function readChannelFile(channel: Channel, input: string, opts: ReadChannelFileOptions): AsyncIterable<ParseOutcome> {
  const def = connectorDefinition(channel);
  const bound = def.bind(opts.config, { pseudonymizer: opts.pseudonymizer, now: opts.now });
  const files = listInput(input, def.formats);
  return readBound(bound, files, def.formats, opts);
}

/** The definition of a channel, or ConfigError naming the channels there are. */
export function connectorDefinition(channel: string): AnyConnectorDefinition {
  const defs: Record<string, AnyConnectorDefinition | undefined> = connectorRegistry;
  const def = defs[channel];
  if (def === undefined) throw new ConfigError(`Unknown channel "${channel}": expected one of ${Object.keys(connectorRegistry).join(', ')}.`);
  return def;
}

function listInput(input: string, formats: readonly FileFormat[]): string[] {
  if (input !== '-') {
    try {
      statSync(input);
    } catch (err) {
      throw new ConfigError(`Cannot read input ${input}: expected an existing file or directory.`, { code: 'INPUT_NOT_FOUND', cause: err });
    }
  }
  return listChannelFiles(input, formats);
}

export { listChannelFiles, type FileFormat } from './files/read-records.js';
export type { ParseContext, ParseContextOptions } from './common/parse-context.js';
export { readBound, type BoundParsers, type CommonConnectorConfig } from './files/bound.js';
