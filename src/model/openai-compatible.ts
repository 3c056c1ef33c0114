// The model backend for any OpenAI-compatible server that serves gpt-oss:
// llama.cpp's llama-server, vLLM, Ollama (/v1) and LM Studio (--endpoint).
// One generation is one streaming POST {endpoint}/chat/completions. Faults
// end the generation with an error event that names the endpoint and says
// what to check; transient ones are retried first. It never throws.
import {
  emptyUsage,
  type BackendDescription,
  type GenerateRequest,
  type GenerationUsage,
  type ModelBackend,
  type ModelEvent,
  type StopReason,
} from './backend.js';
import { backoffDelay, sleep } from './backoff.js';
import { buildChatRequest, type ReasoningField } from './chat-request.js';
import { ChatStreamDecoder } from './chat-stream-decoder.js';
import { normalizeEndpoint } from './endpoint.js';
import {
  connectionFault,
  cutFault,
  describeDuration,
  discoveryFault,
  firstTokenTimeoutFault,
  httpFault,
  idleTimeoutFault,
  notAnApiFault,
  streamErrorFault,
  type Fault,
  type FaultContext,
} from './faults.js';
import { pickModel, type DiscoveredModel } from './model-discovery.js';
import { SseDecoder } from './sse-decoder.js';
import { mapUsage } from './usage-mapping.js';

/** Prompt processing of a long prompt on a laptop CPU can take minutes. */
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 2 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_RETRY_BASE_DELAY_MS = 1000;
/** A server's Retry-After is honoured up to this. */
const MAX_RETRY_DELAY_MS = 30_000;

export interface OpenAICompatibleOptions {
  /** --endpoint: `http://host:port`, `http://host:port/v1`, a trailing slash is fine. */
  endpoint: string;
  /** --model. Without it the server's /models is asked once, at the first generation. */
  model?: string;
  /** --api-key / GPTOSS_AGENT_API_KEY, sent as `Authorization: Bearer …`. */
  apiKey?: string;
  /** Longest wait from sending a request to the first token (covers prompt processing). */
  firstTokenTimeoutMs?: number;
  /** Longest silence between chunks once tokens flow. */
  idleTimeoutMs?: number;
  /** Attempts per generation for faults that may pass (connection, 5xx, 408/429, early cut, timeout). */
  maxAttempts?: number;
  /** Delay before the second attempt; it doubles for each later one. */
  retryBaseDelayMs?: number;
  /** Sampling; left to the server's settings when absent (gpt-oss recommends 1.0 and 1.0). */
  temperature?: number;
  topP?: number;
  /** Milliseconds, for usage timing; injected by tests. */
  now?: () => number;
}

type Outcome =
  | { kind: 'done' }
  | { kind: 'aborted'; usage: GenerationUsage }
  | { kind: 'fault'; fault: Fault; emitted: boolean; usage: GenerationUsage };

export class OpenAICompatibleBackend implements ModelBackend {
  /** The normalised base URL, e.g. http://127.0.0.1:8080/v1. */
  readonly endpoint: string;
  private model: DiscoveredModel | undefined;
  /** Until a server has streamed reasoning, assume the llama-server / DeepSeek name. */
  private reasoningField: ReasoningField = 'reasoning_content';
  private readonly closed = new AbortController();
  private readonly now: () => number;

  /** Throws only when `endpoint` is not a URL. */
  constructor(private readonly options: OpenAICompatibleOptions) {
    this.endpoint = normalizeEndpoint(options.endpoint);
    if (options.model) this.model = { id: options.model };
    this.now = options.now ?? (() => performance.now());
  }

  get description(): BackendDescription {
    return { kind: 'openai-compatible', model: this.model?.id ?? 'auto', endpoint: this.endpoint };
  }

  async *generate(request: GenerateRequest): AsyncGenerator<ModelEvent, void, undefined> {
    if (this.closed.signal.aborted) {
      yield {
        type: 'end',
        stopReason: 'error',
        usage: emptyUsage(),
        error: { message: `The connection to ${this.endpoint} was already closed`, hint: 'Start a new session.' },
      };
      return;
    }
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    const baseDelay = this.options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) {
        yield { type: 'end', stopReason: 'aborted', usage: emptyUsage() };
        return;
      }
      const outcome = yield* this.attempt(request);
      if (outcome.kind === 'done') return;
      if (outcome.kind === 'aborted') {
        yield { type: 'end', stopReason: 'aborted', usage: outcome.usage };
        return;
      }
      const { fault } = outcome;
      if (!fault.retryable || outcome.emitted || attempt >= maxAttempts) {
        yield { type: 'end', stopReason: 'error', usage: outcome.usage, error: fault.failure };
        return;
      }
      const delay = Math.min(
        Math.max(backoffDelay(attempt + 1, baseDelay), fault.retryAfterMs ?? 0),
        MAX_RETRY_DELAY_MS,
      );
      yield {
        type: 'notice',
        message: `${fault.summary}; retrying in ${describeDuration(delay)} (attempt ${attempt + 1} of ${maxAttempts})`,
      };
      const stop = request.signal ? AbortSignal.any([request.signal, this.closed.signal]) : this.closed.signal;
      if (!(await sleep(delay, stop))) {
        yield { type: 'end', stopReason: 'aborted', usage: emptyUsage() };
        return;
      }
    }
  }

  async dispose(): Promise<void> {
    this.closed.abort();
  }

  /** One request to the server. Events are yielded as they arrive; the outcome says how it ended. */
  private async *attempt(request: GenerateRequest): AsyncGenerator<ModelEvent, Outcome, undefined> {
    const controller = new AbortController();
    const stopSignals = [this.closed.signal, ...(request.signal ? [request.signal] : [])];
    const abort = () => controller.abort();
    for (const signal of stopSignals) signal.addEventListener('abort', abort);

    // Timers run only while waiting on the network, never while the consumer handles an event.
    const firstTokenMs = this.options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS;
    const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const firstTokenDeadline = performance.now() + firstTokenMs;
    let timedOut: 'first-token' | 'idle' | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = () => clearTimeout(timer);
    const arm = (decoder?: ChatStreamDecoder) => {
      disarm();
      const idle = decoder?.firstTokenAt !== undefined;
      const ms = idle ? idleMs : Math.max(0, firstTokenDeadline - performance.now());
      timer = setTimeout(() => {
        timedOut = idle ? 'idle' : 'first-token';
        controller.abort();
      }, ms);
    };

    const startedAt = this.now();
    let decoder: ChatStreamDecoder | undefined;
    let emitted = false;
    let reading = false;
    const usage = (): GenerationUsage =>
      mapUsage(decoder ?? {}, {
        startedAt,
        outputDeltas: decoder?.outputDeltas ?? 0,
        ...(decoder?.firstTokenAt !== undefined ? { firstTokenAt: decoder.firstTokenAt } : {}),
        ...(decoder?.lastTokenAt !== undefined ? { lastTokenAt: decoder.lastTokenAt } : {}),
        ...(this.model?.contextSize !== undefined ? { contextSize: this.model.contextSize } : {}),
      });
    const fault = (found: Fault): Outcome => ({ kind: 'fault', fault: found, emitted, usage: usage() });

    try {
      arm();
      const model = await this.ensureModel(controller.signal);
      if ('failure' in model) return fault(model);

      const response = await fetch(`${this.endpoint}/chat/completions`, {
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
        body: JSON.stringify(
          buildChatRequest(model.id, request, this.reasoningField, {
            ...(this.options.temperature !== undefined ? { temperature: this.options.temperature } : {}),
            ...(this.options.topP !== undefined ? { topP: this.options.topP } : {}),
          }),
        ),
        signal: controller.signal,
      });
      if (!response.ok) {
        const body = await response.text();
        return fault(httpFault(this.context(), response.status, body, response.headers.get('retry-after')));
      }

      decoder = new ChatStreamDecoder(this.now);
      if (!response.body) return fault(cutFault(this.context(), 0));
      const contentType = response.headers.get('content-type') ?? '';
      if (/text\/html|application\/xhtml/i.test(contentType)) {
        return fault(notAnApiFault(this.context(), contentType, await readSome(response)));
      }
      reading = true;
      if (contentType.includes('application/json')) {
        // A server that ignored `stream: true` sends one whole completion.
        const events = decoder.pushObject(parseJson(await response.text()));
        decoder.sawDone = true;
        disarm();
        if (decoder.serverError !== undefined) {
          return fault(streamErrorFault(this.context(), decoder.serverError, 0));
        }
        this.learnReasoningField(decoder);
        for (const event of events) {
          emitted = true;
          yield event;
        }
      } else {
        const reader = response.body.getReader();
        const text = new TextDecoder();
        const sse = new SseDecoder();
        read: for (;;) {
          arm(decoder);
          const { done, value } = await reader.read();
          disarm();
          for (const event of done ? sse.end() : sse.push(text.decode(value, { stream: true }))) {
            const events = decoder.push(event.data);
            this.learnReasoningField(decoder);
            for (const modelEvent of events) {
              emitted = true;
              yield modelEvent;
              // The consumer may abort while handling an event; later events of this read are dropped.
              if (this.stopped(request)) return { kind: 'aborted', usage: usage() };
            }
            if (decoder.serverError !== undefined) {
              return fault(streamErrorFault(this.context(), decoder.serverError, decoder.outputDeltas));
            }
            if (decoder.sawDone) break read;
            // A server that ignores max_tokens is not read past it: the generation ends as if it had stopped there.
            if (request.maxOutputTokens !== undefined && decoder.outputDeltas > request.maxOutputTokens) {
              decoder.finishReason = 'length';
              break read;
            }
          }
          if (done) break;
        }
      }

      if (!decoder.finished) {
        emitted = (yield* this.keepPartial(decoder)) || emitted;
        return fault(cutFault(this.context(), decoder.outputDeltas));
      }
      for (const event of decoder.finish()) {
        emitted = true;
        yield event;
      }
      yield { type: 'end', stopReason: stopReasonOf(decoder), usage: usage() };
      return { kind: 'done' };
    } catch (error) {
      if (this.stopped(request)) return { kind: 'aborted', usage: usage() };
      if (timedOut === 'first-token') return fault(firstTokenTimeoutFault(this.context(), firstTokenMs));
      if (decoder && decoder.outputDeltas > 0) emitted = (yield* this.keepPartial(decoder)) || emitted;
      if (timedOut === 'idle') return fault(idleTimeoutFault(this.context(), idleMs, decoder?.outputDeltas ?? 0));
      if (reading) return fault(cutFault(this.context(), decoder?.outputDeltas ?? 0));
      return fault(connectionFault(this.context(), error));
    } finally {
      disarm();
      for (const signal of stopSignals) signal.removeEventListener('abort', abort);
      // Releases the connection when the consumer stopped early or the body was left unread.
      controller.abort();
    }
  }

  /**
   * A stream cut after tokens arrived: the text held back by the harmony parser is passed on, so the
   * partial answer is shown and kept. Tool calls are dropped: a call cut off may be incomplete, and a
   * call is never made from a generation that failed.
   */
  private *keepPartial(decoder: ChatStreamDecoder): Generator<ModelEvent, boolean, undefined> {
    let emitted = false;
    for (const event of decoder.finish()) {
      if (event.type === 'tool_call') continue;
      emitted = true;
      yield event;
    }
    return emitted;
  }

  /** The model to ask for: the given one, or the first gpt-oss the server lists (asked once). */
  private async ensureModel(signal: AbortSignal): Promise<DiscoveredModel | Fault> {
    if (this.model) return this.model;
    const response = await fetch(`${this.endpoint}/models`, { headers: this.headers({}), signal });
    const body = await response.text();
    if (response.status === 401 || response.status === 403) {
      return httpFault(this.context(), response.status, body, null, '/models');
    }
    if (!response.ok) return discoveryFault(this.context(), `GET /models returned ${response.status}`);
    const found = pickModel(parseJson(body));
    if (!found.ok) return discoveryFault(this.context(), found.reason);
    this.model = found.model;
    return found.model;
  }

  private stopped(request: GenerateRequest): boolean {
    return Boolean(request.signal?.aborted) || this.closed.signal.aborted;
  }

  private learnReasoningField(decoder: ChatStreamDecoder): void {
    if (decoder.reasoningField) this.reasoningField = decoder.reasoningField;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return this.options.apiKey ? { ...extra, authorization: `Bearer ${this.options.apiKey}` } : extra;
  }

  private context(): FaultContext {
    return { endpoint: this.endpoint, model: this.model?.id ?? 'auto', apiKeyGiven: Boolean(this.options.apiKey) };
  }
}

function stopReasonOf(decoder: ChatStreamDecoder): StopReason {
  if (decoder.finishReason === 'length') return 'length';
  // Calls parsed out of leaked harmony come with finish_reason "stop".
  if (decoder.toolCalls > 0 || decoder.finishReason === 'tool_calls') return 'tool_call';
  return 'stop';
}

/** The start of a body that is not the API's (a web page), for the message; the rest is not read. */
async function readSome(response: Response, limit = 4096): Promise<string> {
  const reader = response.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value ?? new Uint8Array()).slice(0, limit);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
