// What a review shows on stderr while the model works: the tools it calls,
// retries and failures. The answer itself (JSON) is never printed raw.
import type { AgentEvent, AgentEventSink } from '../agent/events.js';
import type { ModeIO } from './options.js';
import { painter } from './terminal-style.js';

export function reviewProgress(io: ModeIO): { emit: AgentEventSink; note(message: string): void } {
  const paint = painter(io.stderr, io.env);
  return {
    note: (message) => io.stderr.write(`${paint('dim', message)}\n`),
    emit: (event: AgentEvent) => {
      switch (event.type) {
        case 'tool.call':
          io.stderr.write(`  ${paint('cyan', '›')} ${event.summary}\n`);
          return;
        case 'tool.result':
          if (!event.ok) io.stderr.write(`    ${paint('yellow', '!')} ${event.output.split('\n', 1)[0]}\n`);
          return;
        case 'model.notice':
          io.stderr.write(`  ${paint('yellow', event.message)}\n`);
          return;
        default:
          return;
      }
    },
  };
}
