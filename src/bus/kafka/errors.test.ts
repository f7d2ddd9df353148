import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConnectionError, isRetriable, PipelineError, ValidationError } from '../../core/errors.js';
import { classifyKafkaError, PRODUCER_RESET_CODES, toPipelineError } from './errors.js';

const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSSASLAuthenticationError, KafkaJSRequestTimeoutError, KafkaJSNonRetriableError } = kafkajs;

function protocol(type: string, retriable: boolean): Error {
  return new KafkaJSProtocolError({ message: `broker said ${type}`, type, code: 0, retriable } as never);
}

describe('toPipelineError', () => {
  it('maps a lost connection to a retriable ConnectionError and keeps the cause', () => {
    const raw = new KafkaJSConnectionError('Connection error: ECONNREFUSED');
    const err = toPipelineError(raw, 'publish');
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ code: 'KAFKA_CONNECTION', retriable: true, cause: raw });
  });

  it('looks through KafkaJSNumberOfRetriesExceeded to the error that kept failing', () => {
    const inner = new KafkaJSRequestTimeoutError('Request Produce timed out');
    const outer = new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 5, retryTime: 1000 });
    const err = toPipelineError(outer, 'publish');
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err).toMatchObject({ code: 'KAFKA_REQUEST_TIMEOUT', retriable: true });
    expect(isRetriable(err)).toBe(true);
  });

  it('makes a too-large record a permanent ValidationError (dead-letter it)', () => {
    const err = toPipelineError(protocol('MESSAGE_TOO_LARGE', false), 'publish');
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toMatchObject({ code: 'RECORD_TOO_LARGE', retriable: false });
  });

  it('makes authentication and authorisation failures ConfigErrors (operator action)', () => {
    expect(toPipelineError(new (KafkaJSSASLAuthenticationError as unknown as new (m: string) => Error)('bad password'), 'connect')).toBeInstanceOf(ConfigError);
    const denied = toPipelineError(protocol('TOPIC_AUTHORIZATION_FAILED', false), 'publish');
    expect(denied).toBeInstanceOf(ConfigError);
    expect(denied).toMatchObject({ code: 'KAFKA_NOT_AUTHORIZED', retriable: false });
  });

  it('treats a leader change as retriable and a fenced producer as a reset', () => {
    expect(toPipelineError(protocol('NOT_LEADER_OR_FOLLOWER', true), 'publish')).toMatchObject({ code: 'KAFKA_NO_LEADER', retriable: true });
    const fenced = toPipelineError(protocol('OUT_OF_ORDER_SEQUENCE_NUMBER', false), 'publish');
    expect(fenced).toBeInstanceOf(PipelineError);
    expect(PRODUCER_RESET_CODES.has((fenced as PipelineError).code)).toBe(true);
    expect(isRetriable(fenced)).toBe(true);
  });

  it('keeps the client flag for protocol errors outside the table', () => {
    expect(toPipelineError(protocol('SOMETHING_NEW', true), 'x')).toMatchObject({ code: 'KAFKA_SOMETHING_NEW', retriable: true });
    expect(toPipelineError(new KafkaJSNonRetriableError('nope'), 'x')).toMatchObject({ code: 'KAFKA_ERROR', retriable: false });
  });

  it('passes pipeline errors and programming errors through unchanged', () => {
    const mine = new ConnectionError('x');
    expect(toPipelineError(mine, 'x')).toBe(mine);
    const bug = new TypeError('undefined is not a function');
    expect(toPipelineError(bug, 'x')).toBe(bug);
    expect(classifyKafkaError(bug)).toBeUndefined();
    expect(classifyKafkaError('a string')).toBeUndefined();
  });
});
