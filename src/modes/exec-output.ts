// How `exec` shows a turn: the answer on stdout, progress on stderr; or,
// with --json, every AgentEvent as one JSON line on stdout.
import type { AgentEvent, AgentEventSink } from '../agent/events.js';
import type { ModeIO } from './options.js';
import { painter } from './terminal-style.js';

export function jsonLinesWriter(io: ModeIO): (event: { type: string }) => void {
  return (event) => {
    io.stdout.write(`${JSON.stringify(event)}\n`);
  };
}

export interface PlainWriterOptions {
  showReasoning: boolean;
}

export function plainWriter(io: ModeIO, options: PlainWriterOptions): AgentEventSink {
  const paint = painter(io.stderr, io.env);
  let answerEndsWithNewline = true;
  let inReasoning = false;
  const endReasoning = () => {
    if (inReasoning) io.stderr.write('\n');
    inReasoning = false;
  };
  return (event: AgentEvent) => {
    switch (event.type) {
      case 'reasoning.delta':
        if (!options.showReasoning) return;
        if (!inReasoning) io.stderr.write(paint('dim', 'thinking: '));
        inReasoning = true;
        io.stderr.write(paint('dim', event.delta));
        return;
      case 'answer.delta':
        endReasoning();
        io.stdout.write(event.delta);
        answerEndsWithNewline = event.delta.endsWith('\n');
        return;
      case 'tool.call':
        endReasoning();
        io.stderr.write(`${paint('cyan', '›')} ${event.summary}\n`);
        return;
      case 'tool.result':
        if (!event.ok) io.stderr.write(`  ${paint('yellow', '!')} ${firstLine(event.output)}\n`);
        return;
      case 'model.notice':
        io.stderr.write(`${paint('yellow', event.message)}\n`);
        return;
      case 'context.elided':
        endReasoning();
        io.stderr.write(
          paint(
            'dim',
            `context: elided ${event.toolOutputs} old tool output(s), ${event.tokensBefore} → ${event.tokensAfter} tokens\n`,
          ),
        );
        return;
      case 'context.compacting':
        endReasoning();
        io.stderr.write(paint('dim', `context: compacting the conversation (${event.tokensBefore} tokens)…\n`));
        return;
      case 'context.compacted':
        io.stderr.write(paint('dim', `context: compacted to ${event.tokensAfter} tokens\n`));
        return;
      case 'context.compaction_failed':
        io.stderr.write(`${paint('yellow', `context: compaction failed (${event.message}); going on without it`)}\n`);
        return;
      case 'turn.completed':
        endReasoning();
        if (!answerEndsWithNewline) io.stdout.write('\n');
        if (event.error) {
          io.stderr.write(`${paint('red', 'error:')} ${event.error.message}\n`);
          if (event.error.hint) io.stderr.write(`${event.error.hint}\n`);
        }
        return;
      default:
        return;
    }
  };
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
