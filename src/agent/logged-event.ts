// What the session log keeps of an event: the history keeps each message
// within a share of the context window, and the log keeps the events that
// redraw a resumed transcript (a call's arguments, its output, an approval's
// diff) within the same share, so one huge call cannot grow the log, or a
// resumed transcript, past what the conversation itself holds.
import type { AgentEvent } from './events.js';
import { capKeptText, capParsedArguments } from './message-cap.js';
import { estimateTokens } from './truncate.js';

/** The event with each oversized part cut to about `maxTokens`; the same object when nothing was cut. */
export function eventForLog(event: AgentEvent, maxTokens: number): AgentEvent {
  switch (event.type) {
    case 'tool.call': {
      const args = capParsedArguments(event.arguments, maxTokens);
      return args === event.arguments ? event : { ...event, arguments: args };
    }
    case 'tool.result': {
      const output = capKeptText(event.output, maxTokens);
      // Structured data for the transcript (diffs, test reports): dropped whole when oversized, the output stays.
      const dropData = event.data !== undefined && estimateTokens(JSON.stringify(event.data) ?? '') > maxTokens;
      if (output === event.output && !dropData) return event;
      const { data: _dropped, ...rest } = event;
      return { ...(dropData ? rest : event), output, ...(output !== event.output ? { truncated: true } : {}) };
    }
    case 'approval.requested': {
      const { diff, command } = event.request;
      const cutDiff = diff === undefined ? undefined : capKeptText(diff, maxTokens);
      const cutCommand = command === undefined ? undefined : capKeptText(command, maxTokens);
      if (cutDiff === diff && cutCommand === command) return event;
      return {
        ...event,
        request: {
          ...event.request,
          ...(cutDiff !== undefined ? { diff: cutDiff } : {}),
          ...(cutCommand !== undefined ? { command: cutCommand } : {}),
        },
      };
    }
    case 'context.compacted': {
      // The history caps the summary it keeps; this bounds a log written before it did.
      const summary = capKeptText(event.summary, maxTokens);
      return summary === event.summary ? event : { ...event, summary };
    }
    default:
      return event;
  }
}
