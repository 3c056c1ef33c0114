// How `exec` shows a turn: the answer on stdout, progress on stderr; or,
// with --json, every AgentEvent as one JSON line on stdout.
//
// Text the model writes before calling tools is a preamble, not the answer,
// but some servers send both the same way; only the tool calls that follow
// tell them apart. So a piped stdout gets a generation's text once it is
// known to be the answer (preambles go to stderr); a terminal sees it live.
import type { AgentEvent, AgentEventSink } from '../agent/events.js';
import type { ModeIO } from './options.js';
import { cleanText } from '../ui/sanitize.js';
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
  const painted = painter(io.stderr, io.env);
  // Text from the model and the repository reaches a terminal as text: its escape sequences are
  // dropped (per delta too: a lone ESC is dropped, so a sequence split over two deltas is inert).
  const paint: typeof painted = (style, text) => painted(style, cleanText(text));
  const live = io.stdout.isTTY === true;
  let answerEndsWithNewline = true;
  let inReasoning = false;
  let inPreamble = false;
  /** This generation's text, not yet known to be the answer (piped stdout only). */
  let held = '';
  /** Text shown live on the terminal since the last tool call. */
  let shown = false;
  const endReasoning = () => {
    if (inReasoning) io.stderr.write('\n');
    inReasoning = false;
  };
  const endPreamble = () => {
    if (inPreamble) io.stderr.write('\n');
    inPreamble = false;
  };
  /** Tools follow: the text so far was a preamble. */
  const textWasPreamble = () => {
    if (held.trim()) io.stderr.write(paint('dim', `${held.trim()}\n`));
    held = '';
    if (shown && live) io.stdout.write(answerEndsWithNewline ? '\n' : '\n\n');
    shown = false;
    answerEndsWithNewline = true;
  };
  return (event: AgentEvent) => {
    switch (event.type) {
      case 'reasoning.delta':
        if (!options.showReasoning) return;
        if (!inReasoning) io.stderr.write(paint('dim', 'thinking: '));
        inReasoning = true;
        io.stderr.write(paint('dim', event.delta));
        return;
      case 'preamble.delta':
        endReasoning();
        if (!inPreamble) io.stderr.write(paint('dim', '› '));
        inPreamble = true;
        io.stderr.write(paint('dim', event.delta));
        return;
      case 'answer.delta':
        endReasoning();
        endPreamble();
        if (!live) {
          held += event.delta;
          return;
        }
        io.stdout.write(cleanText(event.delta));
        shown = true;
        answerEndsWithNewline = event.delta.endsWith('\n');
        return;
      case 'tool.call':
        endReasoning();
        endPreamble();
        textWasPreamble();
        io.stderr.write(`${paint('cyan', '›')} ${cleanText(event.summary)}\n`);
        return;
      case 'tool.result':
        if (!event.ok) io.stderr.write(`  ${paint('yellow', '!')} ${firstLine(cleanText(event.output))}\n`);
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
        endPreamble();
        if (held) {
          io.stdout.write(held);
          answerEndsWithNewline = held.endsWith('\n');
          held = '';
        }
        if (!answerEndsWithNewline) io.stdout.write('\n');
        answerEndsWithNewline = true;
        shown = false;
        if (event.error) {
          io.stderr.write(`${paint('red', 'error:')} ${cleanText(event.error.message)}\n`);
          if (event.error.hint) io.stderr.write(`${cleanText(event.error.hint)}\n`);
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
