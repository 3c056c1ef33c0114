// For backends that can only declare developer-message functions (Chat Completions
// servers, node-llama-cpp's functions): system-message namespaces become functions
// named `namespace__tool` (OpenAI-style servers accept only [a-zA-Z0-9_-]{1,64}),
// the conversation's earlier calls are renamed to match, and the calls the model
// makes are named back (`repo_browser__open_file` → `repo_browser.open_file`).
import type { ChatMessage, GenerateRequest, ModelEvent, ToolSpec } from './backend.js';

const SEPARATOR = '__';

export interface FlatRequest {
  request: GenerateRequest;
  /** The qualified name of a flattened function; any other name as it is. */
  qualifiedName(name: string): string;
}

export function flattenSystemTools(request: GenerateRequest): FlatRequest {
  const { systemTools, ...rest } = request;
  if (!systemTools?.length) return { request: rest, qualifiedName: (name) => name };
  const toFlat = new Map<string, string>();
  const toQualified = new Map<string, string>();
  const flattened: ToolSpec[] = [];
  for (const namespace of systemTools) {
    namespace.tools.forEach((tool, index) => {
      const flat = `${namespace.name}${SEPARATOR}${tool.name}`;
      const qualified = `${namespace.name}.${tool.name}`;
      toFlat.set(qualified, flat);
      toQualified.set(flat, qualified);
      // The namespace's description (e.g. "paths are relative to the root") goes with its first tool, once.
      const description =
        index === 0 && namespace.description ? `${namespace.description}\n${tool.description}` : tool.description;
      flattened.push({ ...tool, name: flat, description });
    });
  }
  const flat = (name: string) => toFlat.get(name) ?? name;
  const messages = request.messages.map((message): ChatMessage => {
    if (message.role === 'tool') return { ...message, name: flat(message.name) };
    if (message.role === 'assistant' && message.toolCalls) {
      return { ...message, toolCalls: message.toolCalls.map((call) => ({ ...call, name: flat(call.name) })) };
    }
    return message;
  });
  return {
    request: { ...rest, messages, tools: [...flattened, ...request.tools] },
    qualifiedName: (name) => toQualified.get(name) ?? name,
  };
}

/** Runs `generate` on the flattened request and names the calls it makes back. */
export async function* withFlatSystemTools(
  request: GenerateRequest,
  generate: (request: GenerateRequest) => AsyncIterable<ModelEvent>,
): AsyncGenerator<ModelEvent, void, undefined> {
  const flat = flattenSystemTools(request);
  for await (const event of generate(flat.request)) {
    yield event.type === 'tool_call'
      ? { ...event, call: { ...event.call, name: flat.qualifiedName(event.call.name) } }
      : event;
  }
}
