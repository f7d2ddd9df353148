/** What PauseGate needs of a kafkajs Consumer. */
export interface Pausable {
  pause(topics: { topic: string }[]): void;
  resume(topics: { topic: string }[]): void;
}

/**
 * Keeps a consumer's topics paused while any of its handler calls is failing. With several
 * partitions handled at once (partitionsConsumedConcurrently), the first failing call pauses and
 * only the last one to recover resumes: a partition that recovers first must not restart
 * fetching for the others while their chunks are still being retried.
 */
export class PauseGate {
  readonly #target: Pausable;
  readonly #topics: { topic: string }[];
  #holds = 0;

  constructor(target: Pausable, topics: readonly string[]) {
    this.#target = target;
    this.#topics = topics.map((topic) => ({ topic }));
  }

  /** Failing handler calls right now. */
  get holds(): number {
    return this.#holds;
  }

  /** A failing call takes a hold; the returned release is idempotent. */
  hold(): () => void {
    if (this.#holds++ === 0) this.#target.pause(this.#topics);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.#holds === 0) this.#target.resume(this.#topics);
    };
  }
}
