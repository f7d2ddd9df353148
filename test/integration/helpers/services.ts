/**
 * The real services of the integration tests, read from the environment that
 * `eval "$(scripts/services.sh env)"` sets: VOC_KAFKA_BROKERS (comma-separated host:port) and
 * VOC_CLICKHOUSE_URL. When a variable is unset the tests that need it are skipped with a visible
 * message; with VOC_REQUIRE_SERVICES=1 (CI) a missing service is a failure instead.
 */
import { randomUUID } from 'node:crypto';

export const REQUIRE_SERVICES = process.env.VOC_REQUIRE_SERVICES === '1';

export const KAFKA_BROKERS: string[] = (process.env.VOC_KAFKA_BROKERS ?? '')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b !== '');

export const CLICKHOUSE_URL = process.env.VOC_CLICKHOUSE_URL ?? '';

type Service = 'kafka' | 'clickhouse';

const VARIABLE: Record<Service, string> = { kafka: 'VOC_KAFKA_BROKERS', clickhouse: 'VOC_CLICKHOUSE_URL' };

function present(service: Service): boolean {
  return service === 'kafka' ? KAFKA_BROKERS.length > 0 : CLICKHOUSE_URL !== '';
}

/**
 * True when the service is configured. Otherwise prints why the file is skipped and returns
 * false, or throws when VOC_REQUIRE_SERVICES=1. Use as `describe.runIf(serviceAvailable(...))`.
 */
export function serviceAvailable(service: Service, file: string): boolean {
  if (present(service)) return true;
  const name = VARIABLE[service];
  const hint = 'start it with scripts/services.sh up and eval "$(scripts/services.sh env)"';
  if (REQUIRE_SERVICES) throw new Error(`${file}: ${name} is not set but VOC_REQUIRE_SERVICES=1: ${hint}.`);
  process.stderr.write(`[skip] ${file}: ${name} is not set; ${hint}.\n`);
  return false;
}

export const kafkaAvailable = (file: string): boolean => serviceAvailable('kafka', file);
export const clickhouseAvailable = (file: string): boolean => serviceAvailable('clickhouse', file);

/** A random name for a test's topic or group, so tests never see each other's records. */
export function randomName(prefix: string): string {
  return `${prefix}.${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}
