import { ConfigError, ConnectionError, PipelineError, ValidationError } from '../../core/errors.js';

/**
 * kafkajs errors mapped into the pipeline's typed errors by table (../shared/STYLE.md: classify
 * with tables, not scattered ifs). The key is the kafkajs error `name`, or for protocol errors the
 * broker's error `type`. Anything unknown keeps the client's own `retriable` flag.
 *
 * kinds: connection → ConnectionError (the broker or the route to it), config → ConfigError
 * (operator action: auth, ACLs, a version the broker does not speak), record → ValidationError (this
 * record can never be written: dead-letter it), bus → PipelineError.
 */
type Kind = 'connection' | 'config' | 'record' | 'bus';

interface Row {
  kind: Kind;
  code: string;
  retriable: boolean;
}

const BY_NAME: Readonly<Record<string, Row>> = {
  KafkaJSConnectionError: { kind: 'connection', code: 'KAFKA_CONNECTION', retriable: true },
  KafkaJSConnectionClosedError: { kind: 'connection', code: 'KAFKA_CONNECTION_CLOSED', retriable: true },
  KafkaJSRequestTimeoutError: { kind: 'connection', code: 'KAFKA_REQUEST_TIMEOUT', retriable: true },
  KafkaJSBrokerNotFound: { kind: 'connection', code: 'KAFKA_BROKER_NOT_FOUND', retriable: true },
  KafkaJSNoBrokerAvailableError: { kind: 'connection', code: 'KAFKA_NO_BROKER', retriable: true },
  KafkaJSGroupCoordinatorNotFound: { kind: 'connection', code: 'KAFKA_COORDINATOR_NOT_FOUND', retriable: true },
  KafkaJSMetadataNotLoaded: { kind: 'connection', code: 'KAFKA_METADATA_NOT_LOADED', retriable: true },
  KafkaJSTopicMetadataNotLoaded: { kind: 'connection', code: 'KAFKA_METADATA_NOT_LOADED', retriable: true },
  KafkaJSStaleTopicMetadataAssignment: { kind: 'connection', code: 'KAFKA_STALE_METADATA', retriable: true },
  KafkaJSLockTimeout: { kind: 'connection', code: 'KAFKA_LOCK_TIMEOUT', retriable: true },
  KafkaJSTimeout: { kind: 'connection', code: 'KAFKA_TIMEOUT', retriable: true },
  KafkaJSSASLAuthenticationError: { kind: 'config', code: 'KAFKA_AUTHENTICATION', retriable: false },
  KafkaJSServerDoesNotSupportApiKey: { kind: 'config', code: 'KAFKA_UNSUPPORTED_API', retriable: false },
  KafkaJSNotImplemented: { kind: 'config', code: 'KAFKA_NOT_IMPLEMENTED', retriable: false },
  KafkaJSUnsupportedMagicByteInMessageSet: { kind: 'config', code: 'KAFKA_UNSUPPORTED_FORMAT', retriable: false },
  KafkaJSPartialMessageError: { kind: 'bus', code: 'KAFKA_PARTIAL_MESSAGE', retriable: true },
  KafkaJSOffsetOutOfRange: { kind: 'bus', code: 'KAFKA_OFFSET_OUT_OF_RANGE', retriable: true },
  KafkaJSInvalidVarIntError: { kind: 'bus', code: 'KAFKA_CORRUPT_RESPONSE', retriable: false },
  KafkaJSInvalidLongError: { kind: 'bus', code: 'KAFKA_CORRUPT_RESPONSE', retriable: false },
  KafkaJSInvariantViolation: { kind: 'bus', code: 'KAFKA_CLIENT_BUG', retriable: false },
};

/** Broker error types (KafkaJSProtocolError.type) whose meaning differs from the generic row. */
const BY_PROTOCOL_TYPE: Readonly<Record<string, Row>> = {
  MESSAGE_TOO_LARGE: { kind: 'record', code: 'RECORD_TOO_LARGE', retriable: false },
  RECORD_LIST_TOO_LARGE: { kind: 'record', code: 'RECORD_TOO_LARGE', retriable: false },
  INVALID_RECORD: { kind: 'record', code: 'RECORD_INVALID', retriable: false },
  CORRUPT_MESSAGE: { kind: 'record', code: 'RECORD_CORRUPT', retriable: true },
  TOPIC_AUTHORIZATION_FAILED: { kind: 'config', code: 'KAFKA_NOT_AUTHORIZED', retriable: false },
  GROUP_AUTHORIZATION_FAILED: { kind: 'config', code: 'KAFKA_NOT_AUTHORIZED', retriable: false },
  CLUSTER_AUTHORIZATION_FAILED: { kind: 'config', code: 'KAFKA_NOT_AUTHORIZED', retriable: false },
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: { kind: 'config', code: 'KAFKA_NOT_AUTHORIZED', retriable: false },
  SASL_AUTHENTICATION_FAILED: { kind: 'config', code: 'KAFKA_AUTHENTICATION', retriable: false },
  UNSUPPORTED_VERSION: { kind: 'config', code: 'KAFKA_UNSUPPORTED_VERSION', retriable: false },
  INVALID_REPLICATION_FACTOR: { kind: 'config', code: 'KAFKA_INVALID_TOPIC_CONFIG', retriable: false },
  INVALID_PARTITIONS: { kind: 'config', code: 'KAFKA_INVALID_TOPIC_CONFIG', retriable: false },
  INVALID_CONFIG: { kind: 'config', code: 'KAFKA_INVALID_TOPIC_CONFIG', retriable: false },
  INVALID_TOPIC_EXCEPTION: { kind: 'config', code: 'KAFKA_INVALID_TOPIC', retriable: false },
  POLICY_VIOLATION: { kind: 'config', code: 'KAFKA_POLICY_VIOLATION', retriable: false },
  // The idempotent producer lost its sequence (e.g. the broker restarted with an unflushed log):
  // the producer is re-created and the publish retried (at-least-once; the sink dedupes by event id).
  OUT_OF_ORDER_SEQUENCE_NUMBER: { kind: 'bus', code: 'KAFKA_PRODUCER_FENCED', retriable: true },
  UNKNOWN_PRODUCER_ID: { kind: 'bus', code: 'KAFKA_PRODUCER_FENCED', retriable: true },
  INVALID_PRODUCER_EPOCH: { kind: 'bus', code: 'KAFKA_PRODUCER_FENCED', retriable: true },
  PRODUCER_FENCED: { kind: 'bus', code: 'KAFKA_PRODUCER_FENCED', retriable: true },
  UNKNOWN_TOPIC_OR_PARTITION: { kind: 'connection', code: 'KAFKA_UNKNOWN_TOPIC', retriable: true },
  LEADER_NOT_AVAILABLE: { kind: 'connection', code: 'KAFKA_NO_LEADER', retriable: true },
  NOT_LEADER_FOR_PARTITION: { kind: 'connection', code: 'KAFKA_NO_LEADER', retriable: true },
  NOT_LEADER_OR_FOLLOWER: { kind: 'connection', code: 'KAFKA_NO_LEADER', retriable: true },
  NOT_ENOUGH_REPLICAS: { kind: 'connection', code: 'KAFKA_NOT_ENOUGH_REPLICAS', retriable: true },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: { kind: 'connection', code: 'KAFKA_NOT_ENOUGH_REPLICAS', retriable: true },
  REQUEST_TIMED_OUT: { kind: 'connection', code: 'KAFKA_REQUEST_TIMEOUT', retriable: true },
  COORDINATOR_NOT_AVAILABLE: { kind: 'connection', code: 'KAFKA_COORDINATOR_NOT_FOUND', retriable: true },
  GROUP_COORDINATOR_NOT_AVAILABLE: { kind: 'connection', code: 'KAFKA_COORDINATOR_NOT_FOUND', retriable: true },
  NOT_COORDINATOR: { kind: 'connection', code: 'KAFKA_COORDINATOR_NOT_FOUND', retriable: true },
  NOT_COORDINATOR_FOR_GROUP: { kind: 'connection', code: 'KAFKA_COORDINATOR_NOT_FOUND', retriable: true },
  REBALANCE_IN_PROGRESS: { kind: 'bus', code: 'KAFKA_REBALANCE', retriable: true },
  ILLEGAL_GENERATION: { kind: 'bus', code: 'KAFKA_REBALANCE', retriable: true },
  UNKNOWN_MEMBER_ID: { kind: 'bus', code: 'KAFKA_REBALANCE', retriable: true },
};

/** Codes after which the producer must be re-created before the next attempt. */
export const PRODUCER_RESET_CODES: ReadonlySet<string> = new Set(['KAFKA_PRODUCER_FENCED']);

interface KafkaLikeError {
  name?: unknown;
  type?: unknown;
  retriable?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The innermost kafkajs error: KafkaJSNumberOfRetriesExceeded wraps the one that kept failing. */
function rootKafkaError(err: unknown): KafkaLikeError | undefined {
  let e = err as KafkaLikeError | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    const name = typeof e.name === 'string' ? e.name : '';
    if ((name === 'KafkaJSNumberOfRetriesExceeded' || name === 'KafkaJSNonRetriableError') && e.cause) {
      e = e.cause as KafkaLikeError;
      continue;
    }
    return e;
  }
  return e;
}

/** The table row for an error from kafkajs; undefined when the error is not the client's. */
export function classifyKafkaError(err: unknown): Row | undefined {
  const root = rootKafkaError(err);
  if (!root || typeof root !== 'object') return undefined;
  const name = typeof root.name === 'string' ? root.name : '';
  const type = typeof root.type === 'string' ? root.type : '';
  if (type !== '' && BY_PROTOCOL_TYPE[type]) return BY_PROTOCOL_TYPE[type];
  if (BY_NAME[name]) return BY_NAME[name];
  if (name.startsWith('KafkaJS')) {
    const retriable = root.retriable === true;
    return { kind: 'bus', code: type !== '' ? `KAFKA_${type}` : 'KAFKA_ERROR', retriable };
  }
  return undefined;
}

/**
 * Wraps an error thrown by kafkajs into the pipeline's hierarchy, keeping it as `cause`. Pipeline
 * errors and programming errors (TypeError …) pass through unchanged.
 */
export function toPipelineError(err: unknown, operation: string): unknown {
  if (err instanceof PipelineError) return err;
  const row = classifyKafkaError(err);
  if (!row) return err;
  const detail = err instanceof Error ? err.message : String(err);
  const message = `Kafka ${operation} failed: ${detail}`;
  switch (row.kind) {
    case 'connection':
      return new ConnectionError(message, { code: row.code, retriable: row.retriable, cause: err });
    case 'config':
      return new ConfigError(message, { code: row.code, cause: err });
    case 'record':
      return new ValidationError(message, { code: row.code, cause: err });
    case 'bus':
      return new PipelineError(message, { code: row.code, retriable: row.retriable, cause: err });
  }
}
