/** A stage: pure, no I/O once created. Zero outputs means filtered. */
export interface Stage<I, O> {
  readonly name: string;
  process(input: I): O[];
}
