// Reassembles streamed tool calls. OpenAI-style servers send a call's
// arguments in many deltas keyed by `index`, with the id and name usually
// only in the first; some send a whole call in one delta; some send no id.
// Servers stream calls one after another, so a new index (or a new id at the
// same index) means the previous call is complete.
import { randomUUID } from 'node:crypto';
import type { ToolCallRequest } from './backend.js';

interface PartialCall {
  index: number | undefined;
  id: string | undefined;
  name: string;
  arguments: string;
}

interface ToolCallDelta {
  index?: unknown;
  id?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

/** A unique id for a call the server did not name. */
export function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

export class ToolCallAssembler {
  private current: PartialCall | undefined;

  /** Adds one entry of `delta.tool_calls`; returns the calls this one completed. */
  push(raw: unknown): ToolCallRequest[] {
    if (typeof raw !== 'object' || raw === null) return [];
    const delta = raw as ToolCallDelta;
    const index = typeof delta.index === 'number' ? delta.index : undefined;
    const id = typeof delta.id === 'string' && delta.id ? delta.id : undefined;
    const name = typeof delta.function?.name === 'string' ? delta.function.name : '';
    const args =
      typeof delta.function?.arguments === 'string'
        ? delta.function.arguments
        : // A few servers send the arguments as an object rather than JSON text.
          delta.function?.arguments !== undefined && delta.function.arguments !== null
          ? JSON.stringify(delta.function.arguments)
          : '';

    const done: ToolCallRequest[] = [];
    const current = this.current;
    const startsNew =
      !current ||
      (index !== undefined && current.index !== undefined && index !== current.index) ||
      (id !== undefined && current.id !== undefined && id !== current.id);
    if (startsNew) {
      if (current) done.push(complete(current));
      this.current = { index, id, name, arguments: args };
      return done;
    }
    current.id ??= id;
    current.index ??= index;
    // Some servers repeat the full name in every delta; others split it.
    if (name && name !== current.name) current.name += name;
    current.arguments += args;
    return done;
  }

  /** The stream ended: the call in progress is complete. */
  finish(): ToolCallRequest[] {
    const current = this.current;
    this.current = undefined;
    return current ? [complete(current)] : [];
  }
}

function complete(call: PartialCall): ToolCallRequest {
  return {
    id: call.id ?? newToolCallId(),
    name: call.name.trim(),
    // A call to a tool without parameters may stream no arguments at all.
    arguments: call.arguments.trim() || '{}',
  };
}
