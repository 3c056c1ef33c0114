// One generation on the embedded model: our request as chat history, one
// LlamaChat.generateResponse on the session's long-lived sequence (it stops
// at a tool call, so the loop can ask for approval), its chunks as events,
// and usage from the sequence's own token meter.
import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { GenerateRequest, GenerationUsage, ModelEvent, StopReason } from './backend.js';
import type { GeneratedRaw } from './embedded-history.js';
import type { Runtime } from './embedded-runtime.js';
import { EventQueue } from './event-queue.js';
import { toFunctions } from './embedded-functions.js';
import { toGbnfJsonSchema } from './json-schema-to-gbnf.js';

type ChatHistoryItem = NodeLlamaCpp.ChatHistoryItem;
type ChatModelFunctions = NodeLlamaCpp.ChatModelFunctions;
type ChatResponse = NodeLlamaCpp.LlamaChatResponse<ChatModelFunctions>;

export interface GenerationSettings {
  temperature: number;
  topP: number;
  seed?: number;
  /** With full SWA caches every prefix is reusable; otherwise each turn's start is checkpointed. */
  swaFullCache: boolean;
}

export interface GenerationContext {
  runtime: Runtime;
  raw: GeneratedRaw;
  wrapper: NodeLlamaCpp.HarmonyChatWrapper;
  settings: GenerationSettings;
  /** A new tool-call id, unique in the session. */
  nextCallId(): string;
  now(): number;
}

/** Context kept free when a generation's length is bounded by the context (for inserted channel tokens). */
const CONTEXT_MARGIN = 64;

/** Tokens evaluated between abort checks while a turn's prompt is primed. */
const PRIME_CHUNK_TOKENS = 512;

export async function* runGeneration(ctx: GenerationContext, request: GenerateRequest): AsyncGenerator<ModelEvent> {
  const queue = new EventQueue<ModelEvent>();
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  const done = generate(ctx, request, signal, stop, queue).finally(() => queue.close());
  try {
    yield* queue;
  } finally {
    // The consumer may stop listening early; the generation must not run on unseen.
    stop.abort();
    await done;
  }
}

async function generate(
  ctx: GenerationContext,
  request: GenerateRequest,
  signal: AbortSignal,
  stop: AbortController,
  queue: EventQueue<ModelEvent>,
): Promise<void> {
  const { runtime, settings } = ctx;
  const { lib, sequence } = runtime;
  const meterBefore = sequence.tokenMeter.getState();
  const startedAt = ctx.now();
  const timing: { first?: number; last?: number } = {};
  const tick = () => {
    timing.first ??= ctx.now();
    timing.last = ctx.now();
  };
  const usage = (): GenerationUsage => {
    const used = sequence.tokenMeter.diff(meterBefore);
    const output = used.usedOutputTokens;
    const usage: GenerationUsage = {
      // The meter counts tokens decoded with logits as output: the prompt's last token and every
      // sampled token fed back. So the prompt took the input tokens plus that one.
      promptTokens: used.usedInputTokens + (output > 0 ? 1 : 0),
      cachedPromptTokens: Math.max(0, sequence.contextTokens.length - used.usedInputTokens - output),
      outputTokens: output,
      contextSize: runtime.context.contextSize,
    };
    if (timing.first !== undefined) usage.timeToFirstTokenMs = Math.round(timing.first - startedAt);
    if (timing.first !== undefined && timing.last! > timing.first && output > 1) {
      usage.tokensPerSecond = Math.round(((output - 1) / (timing.last! - timing.first)) * 1000 * 10) / 10;
    }
    return usage;
  };
  const end = (stopReason: StopReason, error?: { message: string; hint?: string }) =>
    queue.push({ type: 'end', stopReason, usage: usage(), ...(error ? { error } : {}) });

  const history = ctx.raw.toChatHistory(request.instructions, request.messages);
  const functions = toFunctions(request.tools);
  const schema = request.responseSchema;
  // With a response schema the model first reasons (and may call tools) freely; when it starts
  // its answer, that generation is stopped and the answer is generated again under the grammar.
  const state: { phase: 'free' | 'answer-started' | 'grammar' } = { phase: 'free' };
  const onResponseChunk = (chunk: NodeLlamaCpp.LlamaChatResponseChunk) => {
    tick();
    if (chunk.text === '') return;
    if (chunk.type === 'segment') {
      queue.push({ type: chunk.segmentType === 'thought' ? 'reasoning' : 'preamble', delta: chunk.text });
    } else if (!schema || state.phase === 'grammar') {
      queue.push({ type: 'answer', delta: chunk.text });
    } else if (state.phase === 'free') {
      state.phase = 'answer-started';
      stop.abort();
    }
  };
  const chat = new lib.LlamaChat({ contextSequence: sequence, chatWrapper: ctx.wrapper });
  try {
    // Tokenizing the whole history costs about as much as LlamaChat's own pass over it (a second or
    // so at 400K tokens on a laptop), so it is done only where it pays: at a turn's start, to prime.
    let promptLength = sequence.nextTokenIndex;
    if (!settings.swaFullCache && request.messages.at(-1)?.role === 'user') {
      const prompt = renderPrompt(ctx.wrapper, runtime.model.tokenizer, history, functions);
      await primeTurnStart(ctx, prompt, signal);
      promptLength = prompt.length;
    }
    const contextSize = runtime.context.contextSize;
    // Elsewhere the tokens held so far stand in for the prompt's length (the new messages come on top).
    const room = contextSize - promptLength - CONTEXT_MARGIN;
    const common = {
      signal,
      stopOnAbortSignal: true,
      onResponseChunk,
      temperature: settings.temperature,
      topP: settings.topP,
      // gpt-oss is sampled plainly (temperature and top_p only); node-llama-cpp adds a repeat penalty by default.
      repeatPenalty: false as const,
      ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
      // Without a limit, the answer may fill the context, no more (a model that never stops is cut there).
      // A prompt that leaves no room is shortened by node-llama-cpp's context shift first.
      maxTokens: request.maxOutputTokens ?? (room > 0 ? room : Math.floor(contextSize / 4)),
    };
    let result = await chat.generateResponse(history, {
      ...common,
      ...(functions ? { functions, onFunctionCallParamsChunk: tick } : {}),
    });
    const callIds = (result.functionCalls ?? []).map(() => ctx.nextCallId());
    rememberGenerated(ctx, history, result, callIds);
    if (result.functionCalls?.length) return emitCalls(result, callIds, queue, end);

    if (
      schema &&
      !request.signal?.aborted &&
      (state.phase === 'answer-started' || result.metadata.stopReason === 'eogToken')
    ) {
      state.phase = 'grammar';
      // The converted schema is only known at run time; its static type cannot be narrowed further.
      const grammar = await runtime.llama.createGrammarForJsonSchema(toGbnfJsonSchema(schema) as never);
      // The tools stay documented in the prompt (or it would differ from the cached one); node-llama-cpp
      // takes a grammar next to functions only with abortOnNonText, which its types do not express.
      const answerOptions = {
        ...common,
        signal: request.signal ?? new AbortController().signal,
        grammar,
        abortOnNonText: true,
        ...(functions ? { functions } : {}),
        maxTokens: Math.max(1, common.maxTokens - sequence.tokenMeter.diff(meterBefore).usedOutputTokens),
      } as Parameters<typeof chat.generateResponse>[1];
      result = await chat.generateResponse(withoutAnswer(result.lastEvaluation.cleanHistory), answerOptions);
    }
    end(stopReasonOf(result, request.signal));
  } catch (error) {
    if (request.signal?.aborted || stop.signal.aborted) return end('aborted');
    if (isCallValidationError(error)) return emitInvalidCall(ctx, error, queue, end);
    if (/context shift|context size is too small/i.test(String(error))) {
      return end('error', {
        message: `The conversation no longer fits the model's context of ${runtime.context.contextSize} tokens.`,
        hint: 'Start a new session, or give the model more context with --ctx (e.g. --ctx 32768) if memory allows.',
      });
    }
    end('error', {
      message: `The embedded model failed while generating: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'Start a new session; if it happens again, run "gptoss-agent doctor".',
    });
  } finally {
    chat.dispose();
  }
}

/** The prompt as LlamaChat will render it: the history and an opened assistant message. */
export function renderPrompt(
  wrapper: NodeLlamaCpp.ChatWrapper,
  tokenizer: NodeLlamaCpp.Tokenizer,
  history: ChatHistoryItem[],
  functions: ChatModelFunctions | undefined,
): NodeLlamaCpp.Token[] {
  const { contextText } = wrapper.generateContextState({
    chatHistory: [...history, { type: 'model', response: [] }],
    ...(functions ? { availableFunctions: functions } : {}),
  });
  return contextText.tokenize(tokenizer);
}

/**
 * Evaluates a new turn's prompt up to its last token and checkpoints there.
 * gpt-oss's sliding-window layers keep only the last 128 positions, so the
 * next turn, which drops this turn's reasoning and so rewinds to exactly
 * here, can restore this checkpoint instead of re-reading the whole session.
 * The last token is left for LlamaChat, which needs its logits.
 */
async function primeTurnStart(
  ctx: GenerationContext,
  tokens: NodeLlamaCpp.Token[],
  signal: AbortSignal,
): Promise<void> {
  const { sequence, context } = ctx.runtime;
  // A prompt that does not fit is shortened by LlamaChat's context shift; nothing to prime.
  if (tokens.length < 2 || tokens.length >= context.contextSize) return;
  const prefix = tokens.slice(0, -1);
  await sequence.adaptStateToTokens(prefix, false);
  while (sequence.nextTokenIndex < prefix.length) {
    if (signal.aborted) return;
    const from = sequence.nextTokenIndex;
    await sequence.evaluateWithoutGeneratingNewTokens(prefix.slice(from, from + PRIME_CHUNK_TOKENS));
  }
  await sequence.takeCheckpoint();
}

/** Keeps node-llama-cpp's raw rendering of what the model just generated, for the next request. */
function rememberGenerated(
  ctx: GenerationContext,
  history: ChatHistoryItem[],
  result: ChatResponse,
  callIds: readonly string[],
): void {
  const last = result.lastEvaluation.cleanHistory.at(-1);
  if (last?.type !== 'model') return;
  const before = history.at(-1);
  const generated = last.response.slice(before?.type === 'model' ? before.response.length : 0);
  let call = 0;
  for (const item of generated) {
    if (typeof item === 'string') continue;
    if (item.type === 'segment') {
      ctx.raw.rememberSegment(item.segmentType, item.text, item.raw);
    } else {
      const id = callIds[call++];
      if (id !== undefined) ctx.raw.rememberCall(id, item.rawCall);
    }
  }
}

function emitCalls(
  result: ChatResponse,
  ids: readonly string[],
  queue: EventQueue<ModelEvent>,
  end: (stopReason: StopReason) => void,
): void {
  (result.functionCalls ?? []).forEach((call, index) => {
    queue.push({
      type: 'tool_call',
      call: { id: ids[index]!, name: call.functionName, arguments: JSON.stringify(call.params ?? {}) },
    });
  });
  end('tool_call');
}

/** A call the grammar could not complete still goes to the loop, which tells the model what was wrong. */
function emitInvalidCall(
  ctx: GenerationContext,
  error: Error & { callText: string },
  queue: EventQueue<ModelEvent>,
  end: (stopReason: StopReason) => void,
): void {
  const name = /function (?:name )?"([^"]+)"/i.exec(error.message)?.[1] ?? 'unknown';
  queue.push({ type: 'tool_call', call: { id: ctx.nextCallId(), name, arguments: error.callText } });
  end('tool_call');
}

/** node-llama-cpp's LlamaFunctionCallValidationError, which the package does not export. */
function isCallValidationError(error: unknown): error is Error & { callText: string } {
  return error instanceof Error && typeof (error as { callText?: unknown }).callText === 'string';
}

/** The history with the answer text of its last model item removed, to generate that answer again. */
function withoutAnswer(history: ChatHistoryItem[]): ChatHistoryItem[] {
  const last = history.at(-1);
  if (last?.type !== 'model') return history;
  const response = [...last.response];
  while (typeof response.at(-1) === 'string') response.pop();
  return [...history.slice(0, -1), { ...last, response }];
}

function stopReasonOf(result: ChatResponse, signal: AbortSignal | undefined): StopReason {
  switch (result.metadata.stopReason) {
    case 'maxTokens':
      return 'length';
    case 'abort':
      return signal?.aborted ? 'aborted' : 'stop';
    case 'functionCalls':
      return 'tool_call';
    default:
      return 'stop';
  }
}
