// The model backend for any server that serves gpt-oss: llama.cpp's
// llama-server, vLLM, Ollama and LM Studio (--endpoint). Where the server takes
// a raw prompt (vLLM, llama-server, Ollama; see server-dialect.ts), one generation
// is our own harmony prompt streamed back raw (raw-completion-request.ts), read
// by the same parser as the embedded model's; elsewhere, or with --harmony chat,
// it is a streaming POST {endpoint}/chat/completions. Faults end the generation
// with an error event that names the endpoint and says what to check; transient
// ones are retried first. It never throws.
import {
  emptyUsage,
  type BackendDescription,
  type GenerateRequest,
  type GenerationUsage,
  type ModelBackend,
  type ModelEvent,
  type NextRequest,
  type PreparedContext,
  type ProbeResult,
  type StopReason,
} from './backend.js';
import { backoffDelay, sleep } from './backoff.js';
import { buildPrimeRequest, readPrimeAnswer, shouldPrime, type PrimeCacheMode } from './cache-prime.js';
import type { ReasoningField } from './chat-request.js';
import { ChatStreamDecoder } from './chat-stream-decoder.js';
import { endpointHost, normalizeEndpoint } from './endpoint.js';
import {
  connectionFault,
  cutFault,
  describeDuration,
  discoveryFault,
  firstTokenTimeoutFault,
  httpFault,
  idleTimeoutFault,
  isContextOverflowBody,
  notAnApiFault,
  streamErrorFault,
  type Fault,
  type FaultContext,
} from './faults.js';
import { planGeneration } from './generation-plan.js';
import { renderHarmonyNextUserParts } from './harmony/render.js';
import { harmonyTokenIds } from './harmony-token-ids.js';
import { countUsageLocally } from './local-usage.js';
import { pickModel, type DiscoveredModel } from './model-discovery.js';
import { NdjsonDecoder } from './ndjson-decoder.js';
import { RawStreamDecoder } from './raw-stream-decoder.js';
import {
  detectServer,
  reasoningFieldOf,
  serverOrigin,
  speaksRaw,
  type HarmonyMode,
  type ServerKind,
} from './server-dialect.js';
import { SseDecoder } from './sse-decoder.js';
import type { StreamDecoder } from './stream-decoder.js';
import { mapUsage, type ServerUsage } from './usage-mapping.js';

/** Prompt processing of a long prompt on a laptop CPU can take minutes. */
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 2 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
/** The start-up check of the server gives up after this. */
const PROBE_TIMEOUT_MS = 5000;
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
  /**
   * Sampling; gpt-oss recommends temperature 1.0 and top_p 1.0, sent unless set here, because
   * servers have defaults of their own (llama-server's are 0.8 and 0.95).
   */
  temperature?: number;
  topP?: number;
  /**
   * --harmony: `auto` asks the server what it is and sends raw harmony to vLLM, llama-server and
   * Ollama, Chat Completions to others; `raw` always sends raw harmony; `chat` never does.
   * Default `chat`, as a plain OpenAI-compatible client.
   */
  harmony?: HarmonyMode;
  /**
   * Ask the server what it is before the first generation, also with `harmony: 'chat'`, to send
   * reasoning back in the field it reads. Default: whenever `harmony` is not `chat`.
   */
  detect?: boolean;
  /** The server kind, when already known: nothing is probed. */
  serverKind?: ServerKind;
  /** Ollama's `num_ctx` for raw requests (--ctx); other servers fix the context at start. */
  contextSize?: number;
  /**
   * Whether `prepareNext` fills the server's prefix cache with the next request's start
   * (cache-prime.ts): `auto` (default) for a detected llama-server or vLLM on a loopback or
   * private address, `on` for one anywhere, `off` never. Unknown servers and Chat Completions
   * are never primed.
   */
  primeCache?: PrimeCacheMode;
  /** Milliseconds, for usage timing; injected by tests. */
  now?: () => number;
}

type Outcome =
  | { kind: 'done' }
  | { kind: 'aborted'; usage: GenerationUsage }
  /** The server refused the raw prompt: Chat Completions from now on. */
  | { kind: 'refused-raw'; fault: Fault }
  | { kind: 'fault'; fault: Fault; emitted: boolean; usage: GenerationUsage };

/** Statuses with which a server says it has no raw completions (or not in this shape). */
const RAW_REFUSED = new Set([400, 404, 405, 501]);

export class OpenAICompatibleBackend implements ModelBackend {
  /** The normalised base URL, e.g. http://127.0.0.1:8080/v1. */
  readonly endpoint: string;
  private model: DiscoveredModel | undefined;
  /** Until the server is known or has streamed reasoning, assume the llama-server / DeepSeek name. */
  private reasoningField: ReasoningField = 'reasoning_content';
  private serverKind: ServerKind | undefined;
  /** Set once a raw request was refused: the rest of the session speaks Chat Completions. */
  private rawRefused = false;
  /** GET /models as model discovery read it, so that detection need not ask again. */
  private modelsListing: { body: unknown } | undefined;
  private readonly closed = new AbortController();
  /** The prime in flight: a generation, a newer prime or closing aborts it. */
  private priming: AbortController | undefined;
  /** Generations in progress: no prime is sent meanwhile (it would slow them down). */
  private generating = 0;
  private readonly now: () => number;

  /** Throws only when `endpoint` is not a URL. */
  constructor(private readonly options: OpenAICompatibleOptions) {
    this.endpoint = normalizeEndpoint(options.endpoint);
    if (options.model) this.model = { id: options.model };
    if (options.serverKind) this.learnServer(options.serverKind);
    this.now = options.now ?? (() => performance.now());
  }

  get description(): BackendDescription {
    // Until the server names its model, the endpoint stands in for it.
    return { kind: 'openai-compatible', model: this.model?.id ?? endpointHost(this.endpoint), endpoint: this.endpoint };
  }

  /**
   * GET /models, the request model discovery makes anyway: whether the server is up, takes the
   * key, and lists the model asked for. Without --model it also learns the model's name.
   */
  async probe(signal?: AbortSignal): Promise<ProbeResult> {
    const stop = AbortSignal.any([
      this.closed.signal,
      AbortSignal.timeout(PROBE_TIMEOUT_MS),
      ...(signal ? [signal] : []),
    ]);
    let response: Response;
    let body: string;
    try {
      response = await fetch(`${this.endpoint}/models`, { headers: this.headers({}), signal: stop });
      body = await response.text();
    } catch (error) {
      return { error: { ...connectionFault(this.context(), error).failure, short: 'unreachable' } };
    }
    if (response.status === 401 || response.status === 403) {
      const { failure } = httpFault(this.context(), response.status, body, null, '/models');
      return { error: { ...failure, short: 'API key refused' } };
    }
    if (!response.ok) {
      if (this.model) return {}; // A server without /models can still chat.
      return {
        error: {
          ...discoveryFault(this.context(), `GET /models returned ${response.status}`).failure,
          short: `HTTP ${response.status}`,
        },
      };
    }
    const listed = parseJson(body);
    // Server detection reads the same listing (vLLM names itself there): it is not asked for again.
    this.modelsListing = { body: listed };
    if (!this.model) {
      const found = pickModel(listed);
      if (!found.ok) return { error: { ...discoveryFault(this.context(), found.reason).failure, short: 'no model' } };
      this.model = found.model;
      return {};
    }
    const ids = listedIds(listed);
    if (ids.length === 0 || ids.includes(this.model.id)) return {};
    // llama-server answers whatever name is asked for; vLLM and Ollama refuse a name they do not list.
    return {
      warning: `${this.endpoint} does not list the model "${this.model.id}" (it lists ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}); if the first prompt fails, pass one of those with --model.`,
    };
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
    // The server keeps what a cancelled prime evaluated; the generation goes on from there.
    this.priming?.abort();
    this.generating++;
    try {
      yield* this.attempts(request);
    } finally {
      this.generating--;
    }
  }

  /** A generation's attempts, retried while its faults may pass. */
  private async *attempts(request: GenerateRequest): AsyncGenerator<ModelEvent, void, undefined> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    const baseDelay = this.options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) {
        yield { type: 'end', stopReason: 'aborted', usage: emptyUsage() };
        return;
      }
      const outcome = yield* this.attempt(request);
      if (outcome.kind === 'done') return;
      if (outcome.kind === 'refused-raw') {
        this.rawRefused = true;
        yield {
          type: 'notice',
          message: `${outcome.fault.failure.message}; using Chat Completions instead of raw harmony for this session`,
        };
        attempt--; // the refusal is not a failed attempt
        continue;
      }
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

  /**
   * Sends the next request's start to a server that keeps a prefix cache, in a request that
   * generates (almost) nothing. Extra work the user never asked for, so it never fails loudly:
   * any error or refusal just leaves the cache as it was, and it is not retried.
   */
  async prepareNext(next: NextRequest): Promise<PreparedContext> {
    const skipped: PreparedContext = { tokens: 0, reused: 0, evaluated: 0, complete: false };
    this.priming?.abort();
    if ((this.options.primeCache ?? 'auto') === 'off' || this.closed.signal.aborted || this.generating > 0) {
      return skipped;
    }
    const controller = new AbortController();
    this.priming = controller;
    const timeout = AbortSignal.timeout(this.options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS);
    const signal = AbortSignal.any([controller.signal, this.closed.signal, timeout]);
    let tokens = 0;
    try {
      const model = await this.ensureModel(signal);
      if ('failure' in model || signal.aborted) return skipped;
      const kind = await this.ensureServerKind(signal);
      const raw = speaksRaw(this.options.harmony ?? 'chat', kind) && !this.rawRefused;
      if (signal.aborted || !shouldPrime(this.options.primeCache ?? 'auto', kind, raw, this.endpoint)) return skipped;
      const ids = await harmonyTokenIds(renderHarmonyNextUserParts(next));
      tokens = ids.length;
      const contextSize = this.model?.contextSize;
      // A conversation that no longer fits is the next generation's to report (and the loop's to compact).
      if (signal.aborted || (contextSize !== undefined && tokens >= contextSize)) return { ...skipped, tokens };
      const prime = buildPrimeRequest(kind, this.endpoint, model.id, ids);
      const response = await fetch(prime.url, {
        method: 'POST',
        headers: this.headers({ 'content-type': 'application/json' }),
        body: JSON.stringify(prime.body),
        signal,
      });
      const text = await response.text();
      if (!response.ok) return { ...skipped, tokens };
      return readPrimeAnswer(parseJson(text), tokens);
    } catch {
      return { ...skipped, tokens };
    } finally {
      if (this.priming === controller) this.priming = undefined;
    }
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
    const arm = (decoder?: { firstTokenAt: number | undefined }) => {
      disarm();
      const idle = decoder?.firstTokenAt !== undefined;
      const ms = idle ? idleMs : Math.max(0, firstTokenDeadline - performance.now());
      timer = setTimeout(() => {
        timedOut = idle ? 'idle' : 'first-token';
        controller.abort();
      }, ms);
    };

    const startedAt = this.now();
    let decoder: ChatStreamDecoder | RawStreamDecoder | undefined;
    let emitted = false;
    let reading = false;
    let counted: ServerUsage | undefined;
    const usage = (): GenerationUsage =>
      mapUsage(counted ?? decoder ?? {}, {
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
      const kind = await this.ensureServerKind(controller.signal);
      const plan = await planGeneration({
        request,
        kind,
        raw: speaksRaw(this.options.harmony ?? 'chat', kind) && !this.rawRefused,
        endpoint: this.endpoint,
        model: model.id,
        reasoningField: this.reasoningField,
        sampling: {
          temperature: this.options.temperature ?? 1,
          topP: this.options.topP ?? 1,
          ...(this.options.contextSize !== undefined ? { contextSize: this.options.contextSize } : {}),
        },
        now: this.now,
      });

      const response = await fetch(plan.url, {
        method: 'POST',
        headers: this.headers({
          'content-type': 'application/json',
          accept: plan.framing === 'sse' ? 'text/event-stream' : 'application/x-ndjson',
        }),
        body: JSON.stringify(plan.body),
        signal: controller.signal,
      });
      if (!response.ok) {
        const body = await response.text();
        const path = plan.url.startsWith(`${this.endpoint}/`) ? plan.url.slice(this.endpoint.length) : plan.url;
        const found = httpFault(this.context(), response.status, body, response.headers.get('retry-after'), path);
        if (plan.rawPrompt !== undefined && RAW_REFUSED.has(response.status) && !isContextOverflowBody(body)) {
          return { kind: 'refused-raw', fault: found };
        }
        return fault(found);
      }

      decoder = plan.decoder;
      if (!response.body) return fault(cutFault(this.context(), 0));
      const contentType = response.headers.get('content-type') ?? '';
      if (/text\/html|application\/xhtml/i.test(contentType)) {
        return fault(notAnApiFault(this.context(), contentType, await readSome(response)));
      }
      reading = true;
      if (plan.framing === 'sse' && contentType.includes('application/json')) {
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
        const framing = plan.framing === 'sse' ? new SseDecoder() : new NdjsonDecoder();
        read: for (;;) {
          arm(decoder);
          const { done, value } = await reader.read();
          disarm();
          for (const event of done ? framing.end() : framing.push(text.decode(value, { stream: true }))) {
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
      if (plan.rawPrompt !== undefined && decoder.usage === undefined && decoder.timings === undefined) {
        counted = await countUsageLocally(plan.rawPrompt, (decoder as RawStreamDecoder).text, plan.rawPromptTokens);
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

  /** What the server is, asked once; `unknown` when not asked. */
  private async ensureServerKind(signal: AbortSignal): Promise<ServerKind> {
    if (this.serverKind) return this.serverKind;
    if (!(this.options.detect ?? (this.options.harmony ?? 'chat') !== 'chat')) {
      this.learnServer('unknown');
      return 'unknown';
    }
    const found = await detectServer({
      endpoint: this.endpoint,
      headers: this.headers({}),
      signal,
      ...(this.modelsListing ? { models: this.modelsListing.body } : {}),
    });
    // A server that did not answer, or an abort during the probe, is asked again next time.
    if (!found || signal.aborted) return 'unknown';
    this.learnServer(found.kind);
    if (found.contextSize !== undefined && this.model && this.model.contextSize === undefined) {
      this.model = { ...this.model, contextSize: found.contextSize };
    }
    return found.kind;
  }

  private learnServer(kind: ServerKind): void {
    this.serverKind = kind;
    const field = reasoningFieldOf(kind);
    if (field) this.reasoningField = field;
  }

  /**
   * A stream cut after tokens arrived: the text held back by the harmony parser is passed on, so the
   * partial answer is shown and kept. Tool calls are dropped: a call cut off may be incomplete, and a
   * call is never made from a generation that failed.
   */
  private *keepPartial(decoder: StreamDecoder): Generator<ModelEvent, boolean, undefined> {
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
    const listing = parseJson(body);
    this.modelsListing = { body: listing };
    const found = pickModel(listing);
    if (!found.ok) return discoveryFault(this.context(), found.reason);
    this.model = found.model;
    return found.model;
  }

  private stopped(request: GenerateRequest): boolean {
    return Boolean(request.signal?.aborted) || this.closed.signal.aborted;
  }

  /** A server of unknown kind is answered in the reasoning field it streams. */
  private learnReasoningField(decoder: ChatStreamDecoder | RawStreamDecoder): void {
    if (!(decoder instanceof ChatStreamDecoder) || !decoder.reasoningField) return;
    if (this.serverKind === undefined || reasoningFieldOf(this.serverKind) === undefined) {
      this.reasoningField = decoder.reasoningField;
    }
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return this.options.apiKey ? { ...extra, authorization: `Bearer ${this.options.apiKey}` } : extra;
  }

  private context(): FaultContext {
    return { endpoint: this.endpoint, model: this.model?.id ?? 'auto', apiKeyGiven: Boolean(this.options.apiKey) };
  }
}

function stopReasonOf(decoder: ChatStreamDecoder | RawStreamDecoder): StopReason {
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

/** host:port of an endpoint URL. */
function listedIds(body: unknown): string[] {
  const data = (body as { data?: unknown } | null)?.data;
  return Array.isArray(data)
    ? data.flatMap((entry) => (typeof entry?.id === 'string' ? [entry.id as string] : []))
    : [];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
