// What a review shows on stderr while the model works: the tools it calls,
// retries and failures. The answer itself (JSON) is never printed raw.
import type { AgentEvent, AgentEventSink } from '../agent/events.js';
import type { ModeIO } from './options.js';
import { cleanText } from '../ui/sanitize.js';
import { painter } from './terminal-style.js';

export function reviewProgress(io: ModeIO): { emit: AgentEventSink; note(message: string): void } {
  const paint = painter(io.stderr, io.env);
  // File names, tool output and the model's words reach the terminal as text, never as escape sequences.
  return {
    note: (message) => io.stderr.write(`${paint('dim', cleanText(message))}\n`),
    emit: (event: AgentEvent) => {
      switch (event.type) {
        case 'tool.call':
          io.stderr.write(`  ${paint('cyan', '›')} ${cleanText(event.summary)}\n`);
          return;
        case 'tool.result':
          if (!event.ok) io.stderr.write(`    ${paint('yellow', '!')} ${cleanText(event.output).split('\n', 1)[0]}\n`);
          return;
        case 'model.notice':
          io.stderr.write(`  ${paint('yellow', cleanText(event.message))}\n`);
          return;
        default:
          return;
      }
    },
  };
}
