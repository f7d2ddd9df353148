import { describe, expect, it } from 'vitest';
import { PauseGate } from './pause-gate.js';

function fakeConsumer(): { calls: string[]; pause: (t: { topic: string }[]) => void; resume: (t: { topic: string }[]) => void } {
  const calls: string[] = [];
  return {
    calls,
    pause: (t) => void calls.push(`pause ${t.map((x) => x.topic).join(',')}`),
    resume: (t) => void calls.push(`resume ${t.map((x) => x.topic).join(',')}`),
  };
}

describe('PauseGate', () => {
  it('pauses on the first failing call and resumes only when the last one recovers', () => {
    const consumer = fakeConsumer();
    const gate = new PauseGate(consumer, ['a', 'b']);
    const p0 = gate.hold();
    const p1 = gate.hold();
    const p2 = gate.hold();
    expect(consumer.calls).toEqual(['pause a,b']);
    p1();
    p0();
    // Partition 2's chunk is still failing: fetching must not restart.
    expect(consumer.calls).toEqual(['pause a,b']);
    expect(gate.holds).toBe(1);
    p2();
    expect(consumer.calls).toEqual(['pause a,b', 'resume a,b']);
  });

  it('counts a release once, however often it is called, and pauses again after a full recovery', () => {
    const consumer = fakeConsumer();
    const gate = new PauseGate(consumer, ['t']);
    const a = gate.hold();
    const b = gate.hold();
    a();
    a();
    expect(gate.holds).toBe(1);
    expect(consumer.calls).toEqual(['pause t']);
    b();
    gate.hold()();
    expect(consumer.calls).toEqual(['pause t', 'resume t', 'pause t', 'resume t']);
  });
});
