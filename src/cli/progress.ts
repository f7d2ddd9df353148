/** A one-line progress display on a TTY (bytes and records), redrawn at most 4 times a second. */
export class ProgressLine {
  #last = 0;
  #shown = false;
  readonly #started = Date.now();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly totalBytes: number | undefined,
  ) {}

  update(bytes: number, records: number): void {
    const now = Date.now();
    if (now - this.#last < 250) return;
    this.#last = now;
    const secs = Math.max(0.001, (now - this.#started) / 1000);
    const rate = Math.round(records / secs);
    let bar = '';
    if (this.totalBytes) {
      const share = Math.min(1, bytes / this.totalBytes);
      const width = 30;
      const filled = Math.round(share * width);
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% `;
    }
    this.out.write(`\r${bar}${records} records, ${rate}/s`);
    this.#shown = true;
  }

  done(): void {
    if (this.#shown) this.out.write('\n');
    this.#shown = false;
  }
}
