// What one generation over HTTP sends and how its answer is read: our own
// harmony prompt to a server's raw completions, or a Chat Completions request
// with the system tools flattened into functions.
import type { GenerateRequest } from './backend.js';
import { buildChatRequest, type ReasoningField, type SamplingOptions } from './chat-request.js';
import { ChatStreamDecoder } from './chat-stream-decoder.js';
import { flattenSystemTools } from './chat-system-tools.js';
import { buildRawRequest } from './raw-completion-request.js';
import { RawStreamDecoder } from './raw-stream-decoder.js';
import { serverOrigin, type ServerKind } from './server-dialect.js';
import { knownToolNames } from './tool-name.js';

export interface GenerationPlan {
  url: string;
  body: Record<string, unknown>;
  framing: 'sse' | 'ndjson';
  decoder: ChatStreamDecoder | RawStreamDecoder;
  /** Raw harmony: the prompt, for counting when the server reports no usage. */
  rawPrompt?: string;
  /** Its token count, when it was sent as token ids. */
  rawPromptTokens?: number;
}

export interface PlanInput {
  request: GenerateRequest;
  kind: ServerKind;
  /** Whether this server is spoken to in raw harmony (--harmony and what it answered so far). */
  raw: boolean;
  endpoint: string;
  model: string;
  reasoningField: ReasoningField;
  sampling: SamplingOptions & { contextSize?: number };
  now: () => number;
}

export async function planGeneration(input: PlanInput): Promise<GenerationPlan> {
  const { request, kind, endpoint, model, sampling, now } = input;
  const known = knownToolNames(request.tools, request.systemTools);
  // A JSON answer needs the server's structured output, which only the chat request asks for.
  if (input.raw && !request.responseSchema) {
    const raw = await buildRawRequest({ kind, endpoint, origin: serverOrigin(endpoint), model }, request, sampling);
    return {
      url: raw.url,
      body: raw.body,
      framing: raw.framing,
      decoder: new RawStreamDecoder(now, known, raw.inert),
      rawPrompt: raw.prompt,
      ...(raw.promptIds ? { rawPromptTokens: raw.promptIds.length } : {}),
    };
  }
  return {
    url: `${endpoint}/chat/completions`,
    body: buildChatRequest(model, request, input.reasoningField, sampling),
    framing: 'sse',
    decoder: new ChatStreamDecoder(now, known, flattenSystemTools(request.systemTools, request.tools).toQualified),
  };
}
