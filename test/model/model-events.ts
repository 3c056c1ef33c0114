// Collects what a backend generation streamed, for assertions.
import type { GenerateRequest, ModelEvent, ToolCallRequest } from '../../src/model/backend.js';

export interface Collected {
  events: ModelEvent[];
  reasoning: string;
  preamble: string;
  answer: string;
  toolCalls: ToolCallRequest[];
  notices: string[];
  end: Extract<ModelEvent, { type: 'end' }>;
}

export async function collect(
  stream: AsyncIterable<ModelEvent>,
  onEvent?: (event: ModelEvent) => void,
): Promise<Collected> {
  const events: ModelEvent[] = [];
  for await (const event of stream) {
    events.push(event);
    onEvent?.(event);
  }
  const ends = events.filter((e) => e.type === 'end');
  if (ends.length !== 1 || events[events.length - 1]!.type !== 'end') {
    throw new Error(`expected exactly one end event, last: ${JSON.stringify(events)}`);
  }
  const text = (type: 'reasoning' | 'preamble' | 'answer') =>
    events.map((e) => (e.type === type ? e.delta : '')).join('');
  return {
    events,
    reasoning: text('reasoning'),
    preamble: text('preamble'),
    answer: text('answer'),
    toolCalls: events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : [])),
    notices: events.flatMap((e) => (e.type === 'notice' ? [e.message] : [])),
    end: ends[0] as Extract<ModelEvent, { type: 'end' }>,
  };
}

export function userRequest(prompt: string, extra: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    instructions: 'You are a coding agent.',
    messages: [{ role: 'user', content: prompt }],
    tools: [],
    ...extra,
  };
}
