// Splits a newline-delimited JSON stream (Ollama's native API) into lines,
// whatever the chunk boundaries; the shape matches SseDecoder's events.
import type { SseEvent } from './sse-decoder.js';

export class NdjsonDecoder {
  private buffer = '';

  push(text: string): SseEvent[] {
    this.buffer += text;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    return lines.flatMap((line) => (line.trim() ? [{ data: line }] : []));
  }

  /** The body ended: a last line without its newline still counts. */
  end(): SseEvent[] {
    const rest = this.buffer;
    this.buffer = '';
    return rest.trim() ? [{ data: rest }] : [];
  }
}
