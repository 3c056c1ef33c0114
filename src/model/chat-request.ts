// Builds the body of a streaming POST /chat/completions from a GenerateRequest.
//
// Facts relied on, per server (checked against their sources):
// - Reasoning sent back in an assistant message:
//   llama-server reads `reasoning_content` and copies it to the gpt-oss
//   template's `thinking` (common/chat.cpp, common_chat_params_init_gpt_oss;
//   newer builds also drop `content` from such a message when it has tool calls).
//   vLLM's gpt-oss path reads `reasoning` (harmony_utils
//   parse_chat_input_to_harmony_message) and puts `content` on the commentary channel.
//   Ollama's /v1 reads `reasoning` into the message's thinking (openai/openai.go).
//   The caller picks the field by the server it detected (server-dialect.ts),
//   else echoes the name the server last streamed.
// - The gpt-oss Jinja template (OpenAI's, used by llama-server) raises an error
//   for an assistant message with tool calls that has both `content` and
//   thinking, so a preamble goes into `content` only when there is no reasoning.
// - Reasoning effort: vLLM, Ollama and LM Studio read top-level
//   `reasoning_effort`; llama-server builds before its native support read it
//   only from `chat_template_kwargs.reasoning_effort` (the template variable).
//   Servers ignore the field they do not know, so both are sent.
// - llama-server, Ollama and LM Studio fill the template with the messages' text and
//   tokenize the result with special tokens parsed, so every text we did not write
//   (messages, reasoning, call arguments, tool names and descriptions, AGENTS.md) is
//   made inert first (harmony-inert-text.ts). It is done for every server: text without
//   a `<|name|>` is sent as it is, and the kind of server is not always known.
import type { ChatMessage, GenerateRequest } from './backend.js';
import { flattenSystemTools } from './chat-system-tools.js';
import { inertJsonText, inertJsonValue, inertText } from './harmony-inert-text.js';

/** The assistant-message field a server family reads reasoning from. */
export type ReasoningField = 'reasoning_content' | 'reasoning';

export interface SamplingOptions {
  temperature?: number;
  topP?: number;
}

export function buildChatRequest(
  model: string,
  request: GenerateRequest,
  reasoningField: ReasoningField,
  sampling: SamplingOptions = {},
): Record<string, unknown> {
  const flat = flattenSystemTools(request.systemTools, request.tools);
  const rename = (name: string) => flat.toFlat.get(name) ?? name;
  const body: Record<string, unknown> = {
    model,
    messages: toChatMessages(request.instructions, request.messages, reasoningField, rename),
    stream: true,
    stream_options: { include_usage: true },
  };
  const tools = [...request.tools, ...flat.tools];
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({
      type: 'function',
      function: {
        name: inertText(tool.name),
        description: inertText(tool.description),
        parameters: inertJsonValue(tool.parameters),
      },
    }));
  }
  if (request.reasoningEffort) {
    body.reasoning_effort = request.reasoningEffort;
    body.chat_template_kwargs = { reasoning_effort: request.reasoningEffort };
  }
  if (request.maxOutputTokens !== undefined) body.max_tokens = request.maxOutputTokens;
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (request.responseSchema) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: schemaName(request.responseSchema), schema: request.responseSchema, strict: true },
    };
  }
  return body;
}

export function toChatMessages(
  instructions: string,
  messages: readonly ChatMessage[],
  reasoningField: ReasoningField,
  /** The name a tool is declared under in this request (system tools are flattened). */
  rename: (name: string) => string = (name) => name,
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (instructions) out.push({ role: 'system', content: inertText(instructions) });
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: inertText(message.content) });
        break;
      case 'tool':
        // `name` is not in OpenAI's schema, but older Ollama builds need it to label the result.
        out.push({
          role: 'tool',
          tool_call_id: message.toolCallId,
          name: inertText(rename(message.name)),
          content: inertText(message.content),
        });
        break;
      case 'assistant':
        out.push(assistantMessage(message, reasoningField, rename));
        break;
    }
  }
  return out;
}

function assistantMessage(
  message: Extract<ChatMessage, { role: 'assistant' }>,
  reasoningField: ReasoningField,
  rename: (name: string) => string,
): Record<string, unknown> {
  const calls = message.toolCalls ?? [];
  const reasoning = message.reasoning ? inertText(message.reasoning) : undefined;
  const visible = inertText([message.preamble, message.content].filter((text) => text).join('\n\n'));
  const out: Record<string, unknown> = {
    role: 'assistant',
    content: calls.length > 0 && reasoning ? '' : visible,
  };
  if (reasoning) out[reasoningField] = reasoning;
  if (calls.length > 0) {
    out.tool_calls = calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: inertText(rename(call.name)), arguments: jsonArguments(call.arguments) },
    }));
  }
  return out;
}

/**
 * Servers parse the arguments of past calls (Ollama answers 400 "invalid tool
 * call arguments"), so one malformed call would break every later request.
 * Invalid JSON is wrapped in an object that still shows the model what it wrote.
 */
function jsonArguments(text: string): string {
  const inert = inertJsonText(text);
  try {
    JSON.parse(inert);
    return inert;
  } catch {
    return JSON.stringify({ invalid_json: inert });
  }
}

function schemaName(schema: Record<string, unknown>): string {
  const title = typeof schema.title === 'string' ? schema.title.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) : '';
  return title || 'response';
}
