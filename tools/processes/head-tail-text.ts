// Collects a command's output up to a size, keeping the beginning and the
// end (where the command line echo and the final error or summary usually
// are) and counting what fell out of the middle.

export class HeadTailText {
  private head = '';
  private tail = '';
  private total = 0;

  constructor(
    private readonly headChars: number,
    private readonly tailChars: number,
  ) {}

  append(chunk: string): void {
    this.total += chunk.length;
    const roomInHead = this.headChars - this.head.length;
    if (roomInHead > 0) {
      this.head += chunk.slice(0, roomInHead);
      chunk = chunk.slice(roomInHead);
    }
    if (chunk === '') return;
    this.tail = (this.tail + chunk).slice(-this.tailChars);
  }

  /** Characters dropped between head and tail. */
  get cutChars(): number {
    return this.total - this.head.length - this.tail.length;
  }

  /** The kept text, with a marker where the middle was cut. */
  text(): string {
    const cut = this.cutChars;
    if (cut === 0) return this.head + this.tail;
    return `${this.head}\n[… ${cut} characters of output cut …]\n${this.tail}`;
  }
}
