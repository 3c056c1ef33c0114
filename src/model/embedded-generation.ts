// One generation on the embedded model: the request rendered as harmony by our
// own renderer, its tokens put into the session's long-lived sequence (only
// what the KV cache lacks is evaluated), tokens sampled until the model calls a
// tool or ends its answer, and their text read by the harmony parser as events.
// Usage comes from the sequence's own token meter.
import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { GenerateRequest, GenerationUsage, ModelEvent, ModelFailure, StopReason } from './backend.js';
import type { ModelCodec } from './embedded-codec.js';
import { rememberGenerated } from './embedded-generated.js';
import { loadPrompt } from './embedded-kv.js';
import type { PromptTokens } from './embedded-prompt.js';
import type { Runtime } from './embedded-runtime.js';
import { EventQueue } from './event-queue.js';
import { renderHarmonyPromptParts } from './harmony/render.js';
import type { ToolCatalog } from './harmony/recipient.js';
import { GeneratedOutput } from './embedded-output.js';
import { toGbnfJsonSchema } from './json-schema-to-gbnf.js';

type Token = NodeLlamaCpp.Token;

export interface GenerationSettings {
  temperature: number;
  topP: number;
  seed?: number;
  /** With full SWA caches every prefix is reusable; otherwise each turn's start is checkpointed. */
  swaFullCache: boolean;
}

export interface GenerationContext {
  runtime: Runtime;
  codec: ModelCodec;
  /** The session's prompt tokens, with what the model generated kept as generated. */
  prompt: PromptTokens;
  settings: GenerationSettings;
  /** A new tool-call id, unique in the session. */
  nextCallId(): string;
  now(): number;
  /**
   * When the request arrived, if a background evaluation was then finishing its chunk: the wait
   * for it is part of this prompt's time to first token. (Its tokens are the background's: the
   * meter counts tokens when they are dispatched.)
   */
  arrivedAt?: number;
}

/** Context kept free beyond the output (an answer header the backend may write for the model). */
const CONTEXT_MARGIN = 8;

export async function* runGeneration(ctx: GenerationContext, request: GenerateRequest): AsyncGenerator<ModelEvent> {
  const queue = new EventQueue<ModelEvent>();
  const stop = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;
  const done = generate(ctx, request, signal, queue).finally(() => queue.close());
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
  queue: EventQueue<ModelEvent>,
): Promise<void> {
  const { runtime, settings, codec } = ctx;
  const { sequence } = runtime;
  const contextSize = runtime.context.contextSize;
  const meterBefore = sequence.tokenMeter.getState();
  const startedAt = ctx.arrivedAt ?? ctx.now();
  const timing: { first?: number; last?: number; reused: number } = { reused: 0 };
  const usage = (): GenerationUsage => {
    const used = sequence.tokenMeter.diff(meterBefore);
    const output = used.usedOutputTokens;
    const usage: GenerationUsage = {
      // The meter counts tokens decoded with logits as output: the prompt's last token and every
      // sampled token fed back. So the prompt took the input tokens plus that one.
      promptTokens: used.usedInputTokens + (output > 0 ? 1 : 0),
      cachedPromptTokens: timing.reused,
      outputTokens: output,
      contextSize,
    };
    if (timing.first !== undefined) usage.timeToFirstTokenMs = Math.round(timing.first - startedAt);
    if (timing.first !== undefined && timing.last! > timing.first && output > 1) {
      usage.tokensPerSecond = Math.round(((output - 1) / (timing.last! - timing.first)) * 1000 * 10) / 10;
    }
    return usage;
  };
  const end = (stopReason: StopReason, error?: ModelFailure) =>
    queue.push({ type: 'end', stopReason, usage: usage(), ...(error ? { error } : {}) });

  try {
    const catalog: ToolCatalog = {
      tools: request.tools,
      ...(request.systemTools ? { systemTools: request.systemTools } : {}),
    };
    const prompt = ctx.prompt.tokens(renderHarmonyPromptParts(request));
    const room = contextSize - prompt.length - CONTEXT_MARGIN;
    if (room < 1) return end('error', doesNotFit(contextSize));
    const loaded = await loadPrompt(sequence, prompt, {
      // A turn's start is where the next turn rewinds to (it drops this turn's reasoning).
      checkpoint: !settings.swaFullCache && request.messages.at(-1)?.role === 'user',
      signal,
    });
    if (!loaded) return end('aborted');
    timing.reused = loaded.reused;

    const start = codec.special('<|start|>');
    const output = new GeneratedOutput(codec, (event) => {
      queue.push(
        event.type === 'tool_call'
          ? {
              type: 'tool_call',
              call: {
                id: ctx.nextCallId(),
                name: event.name,
                arguments: event.arguments,
                ...(event.channel ? { channel: event.channel } : {}),
              },
            }
          : event,
      );
    });
    const maxTokens = Math.min(request.maxOutputTokens ?? room, room);
    const sampled = await sample(ctx, request, prompt.at(-1)!, output, maxTokens, signal, () => {
      timing.first ??= ctx.now();
      timing.last = ctx.now();
    });
    output.finish(sampled.stopToken);
    // The role after the prompt's last `<|start|>` begins the first generated message.
    const tail = prompt.slice(prompt.lastIndexOf(start) + 1);
    rememberGenerated(
      ctx.prompt,
      {
        tokens: [...tail, ...output.tokens],
        isStart: (token) => token === start,
        isTerminal: (token) => ['end', 'call', 'return'].includes(codec.nameOf(token) ?? ''),
        detokenize: codec.detokenize,
      },
      catalog,
    );
    if (request.signal?.aborted || signal.aborted) return end('aborted');
    end(output.calls > 0 ? 'tool_call' : sampled.stopReason);
  } catch (error) {
    if (signal.aborted) return end('aborted');
    end('error', {
      message: `The embedded model failed while generating: ${error instanceof Error ? error.message : String(error)}`,
      hint: 'Start a new session; if it happens again, run "gptoss-agent doctor".',
    });
  }
}

interface Sampled {
  stopReason: 'stop' | 'length' | 'aborted';
  /** The token that ended the generation (`<|call|>`, `<|return|>`); sampled, never evaluated. */
  stopToken?: Token;
}

/**
 * Samples from the prompt's last token on. `<|end|>` ends a message, not the generation: the
 * model goes on with its next message (the call after its analysis). With a response schema,
 * the final answer's content is sampled under the schema's grammar; text written outside any
 * message is taken as the answer too, so the backend writes the answer's header for the model
 * and the JSON follows it.
 */
async function sample(
  ctx: GenerationContext,
  request: GenerateRequest,
  last: Token,
  output: GeneratedOutput,
  maxTokens: number,
  signal: AbortSignal,
  tick: () => void,
): Promise<Sampled> {
  const { runtime, settings, codec } = ctx;
  const schema = request.responseSchema;
  // The converted schema is only known at run time; its static type cannot be narrowed further.
  const grammar = schema
    ? await runtime.llama.createGrammarForJsonSchema(toGbnfJsonSchema(schema) as never)
    : undefined;
  let grammarState: NodeLlamaCpp.LlamaGrammarEvaluationState | undefined;
  const constrain = () => {
    if (grammar && !grammarState)
      grammarState = new runtime.lib.LlamaGrammarEvaluationState({ model: runtime.model, grammar });
  };
  const isStop = (token: Token) => {
    const name = codec.nameOf(token);
    if (name === 'call' || name === 'return') return true;
    // Under the grammar an end-of-generation token is all that may follow the finished JSON.
    return codec.isEog(token) && (name !== 'end' || grammarState !== undefined);
  };
  const iterator = runtime.sequence.evaluate([last], {
    temperature: settings.temperature,
    topP: settings.topP,
    // gpt-oss is sampled from the whole vocabulary; node-llama-cpp would keep only the top 40 tokens.
    topK: 0,
    ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
    grammarEvaluationState: () => grammarState,
    // We decide where the generation ends: `<|end|>` is an end-of-generation token to llama.cpp.
    yieldEogToken: true,
  });
  let feed: Token[] | undefined;
  try {
    for (let count = 0; count < maxTokens; count++) {
      const step = await iterator.next(feed);
      feed = undefined;
      if (step.done) return { stopReason: 'stop' };
      if (signal.aborted) return { stopReason: 'aborted' };
      tick();
      const token = step.value;
      if (isStop(token)) return { stopReason: 'stop', stopToken: token };
      if (grammar && !grammarState && output.isPlainText(token)) {
        // The sampled token is dropped; the header and then the constrained answer take its place.
        feed = answerHeader(codec, output.generated > 0);
        for (const fed of feed) output.add(fed);
        constrain();
        continue;
      }
      if (output.add(token) === 'answer') constrain();
      // The grammar would allow whitespace until the model picks an end token; the answer is whole now.
      if (grammarState && output.answerIsJson()) return { stopReason: 'stop', stopToken: codec.special('<|return|>') };
    }
    return { stopReason: 'length' };
  } finally {
    await iterator.return();
  }
}

/** `<|channel|>final<|message|>`, after `<|start|>assistant` when a message came before. */
function answerHeader(codec: ModelCodec, afterMessage: boolean): Token[] {
  return [
    ...(afterMessage ? [codec.special('<|start|>'), ...codec.text('assistant')] : []),
    codec.special('<|channel|>'),
    ...codec.text('final'),
    codec.special('<|message|>'),
  ];
}

function doesNotFit(contextSize: number): ModelFailure {
  return {
    message: `The conversation no longer fits the model's context of ${contextSize} tokens.`,
    hint: 'Start a new session, or give the model more context with --ctx (e.g. --ctx 32768) if memory allows.',
  };
}
