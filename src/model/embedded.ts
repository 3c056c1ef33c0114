// The embedded backend: gpt-oss in this process through node-llama-cpp.
// The model loads in the background from the moment the backend exists (a
// mode can show progress and take input meanwhile); the first generation
// waits for it. One context sequence lives for the whole session, so each
// tool round and each turn evaluates only the tokens that are new; between
// turns, `prepareNext` evaluates the next prompt's start in the background.
import path from 'node:path';
import {
  emptyUsage,
  type BackendDescription,
  type BackendStatus,
  type GenerateRequest,
  type ModelBackend,
  type ModelEvent,
  type NextRequest,
  type PreparedContext,
} from './backend.js';
import { modelCodec, type ModelCodec } from './embedded-codec.js';
import { runGeneration, type GenerationSettings } from './embedded-generation.js';
import { prefillNext } from './embedded-prefill.js';
import { PromptTokens } from './embedded-prompt.js';
import {
  disposeRuntime,
  loadRuntime,
  RuntimeLoadError,
  type Runtime,
  type RuntimeOptions,
} from './embedded-runtime.js';

export interface EmbeddedOptions extends RuntimeOptions {
  /** gpt-oss's recommended sampling is temperature 1.0 and top_p 1.0. */
  temperature?: number;
  topP?: number;
  /** Fixed sampling seed (tests). */
  seed?: number;
  /** Milliseconds, for usage timing; injected by tests. */
  now?: () => number;
}

export class EmbeddedBackend implements ModelBackend {
  readonly description: BackendDescription;
  private current: BackendStatus = { state: 'loading', progress: 0 };
  private readonly listeners = new Set<(status: BackendStatus) => void>();
  private readonly unloading = new AbortController();
  private readonly loaded: Promise<Runtime | undefined>;
  /** The model's tokenizer and the session's prompt tokens, once the model is there. */
  private tokens: { codec: ModelCodec; prompt: PromptTokens } | undefined;
  private readonly settings: GenerationSettings;
  private readonly now: () => number;
  private calls = 0;
  /** Generations and background evaluations run one at a time on the one sequence. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The background evaluation of the next prompt's start, while it is queued or running. */
  private prefill: AbortController | undefined;
  /** The last `ready` status, which `preparing` progress is added to. */
  private readyStatus: BackendStatus | undefined;

  /** Starts loading at once; never throws (a failed load is a status and an error event). */
  constructor(private readonly options: EmbeddedOptions) {
    this.description = { kind: 'embedded', model: path.basename(options.modelPath) };
    this.now = options.now ?? (() => performance.now());
    this.settings = {
      temperature: options.temperature ?? 1,
      topP: options.topP ?? 1,
      swaFullCache: options.swaFullCache ?? false,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    };
    this.loaded = this.load();
  }

  status(): BackendStatus {
    return this.current;
  }

  onStatus(listener: (status: BackendStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the model is ready (or failed to load). */
  async ready(): Promise<BackendStatus> {
    await this.loaded;
    return this.current;
  }

  async *generate(request: GenerateRequest): AsyncGenerator<ModelEvent, void, undefined> {
    // A generation comes first: a background evaluation stops after its chunk and this one goes on from there.
    this.prefill?.abort();
    // Waiting for the model to load can be interrupted; the load goes on for the next turn.
    const runtime = await abortable(this.loaded, request.signal);
    if (runtime === ABORTED || request.signal?.aborted) {
      yield { type: 'end', stopReason: 'aborted', usage: emptyUsage() };
      return;
    }
    if (!runtime || this.unloading.signal.aborted) {
      const error =
        this.current.state === 'failed' && !this.unloading.signal.aborted
          ? this.current.error
          : { message: 'The embedded model was closed.', hint: 'Start a new session.' };
      yield { type: 'end', stopReason: 'error', usage: emptyUsage(), error };
      return;
    }
    const arrivedAt = this.prefill ? this.now() : undefined;
    const release = await this.takeTurn();
    try {
      yield* runGeneration(
        {
          runtime,
          ...this.tokensOf(runtime),
          settings: this.settings,
          nextCallId: () => `call_${++this.calls}`,
          now: this.now,
          ...(arrivedAt !== undefined ? { arrivedAt } : {}),
        },
        request,
      );
    } finally {
      release();
    }
  }

  async prepareNext(next: NextRequest): Promise<PreparedContext> {
    this.prefill?.abort();
    const controller = new AbortController();
    this.prefill = controller;
    const signal = AbortSignal.any([controller.signal, this.unloading.signal]);
    const skipped: PreparedContext = { tokens: 0, reused: 0, evaluated: 0, complete: false };
    let release: (() => void) | undefined;
    try {
      const runtime = await this.loaded;
      if (!runtime || signal.aborted) return skipped;
      release = await this.takeTurn();
      if (signal.aborted) return skipped;
      return await prefillNext(
        {
          sequence: runtime.sequence,
          prompt: this.tokensOf(runtime).prompt,
          contextSize: runtime.context.contextSize,
          checkpoints: !this.settings.swaFullCache,
        },
        next,
        signal,
        (done, total) => {
          if (!signal.aborted && done < total) this.showPreparing({ done, total });
        },
      );
    } catch {
      // A failed background evaluation costs the next generation time, nothing else; it reports its own errors.
      return skipped;
    } finally {
      if (this.prefill === controller) this.prefill = undefined;
      this.showPreparing(undefined);
      release?.();
    }
  }

  /** Waits for the sequence; the returned function hands it on. */
  private async takeTurn(): Promise<() => void> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }

  private tokensOf(runtime: Runtime): { codec: ModelCodec; prompt: PromptTokens } {
    if (!this.tokens) {
      const codec = modelCodec(runtime.model);
      this.tokens = { codec, prompt: new PromptTokens(codec) };
    }
    return this.tokens;
  }

  /** Adds (or removes) the background evaluation's progress to the ready status. */
  private showPreparing(preparing: { done: number; total: number } | undefined): void {
    const ready = this.readyStatus;
    if (ready?.state !== 'ready' || this.current.state !== 'ready') return;
    if (!preparing && !this.current.preparing) return;
    this.setStatus(preparing ? { ...ready, preparing } : ready);
  }

  async countTokens(text: string): Promise<number> {
    const runtime = await this.loaded;
    if (!runtime) throw new Error('The embedded model is not loaded.');
    return runtime.model.tokenize(text).length;
  }

  async dispose(): Promise<void> {
    this.unloading.abort();
    const runtime = await this.loaded;
    if (!runtime) return;
    await this.queue;
    if (!runtime.context.disposed) await disposeRuntime(runtime, this.options.llama === undefined);
  }

  private async load(): Promise<Runtime | undefined> {
    try {
      const runtime = await loadRuntime(
        this.options,
        (progress, message) => this.reportProgress(progress, message),
        this.unloading.signal,
      );
      if (this.unloading.signal.aborted) {
        await disposeRuntime(runtime, this.options.llama === undefined);
        return undefined;
      }
      this.readyStatus = { state: 'ready', contextSize: runtime.context.contextSize, device: runtime.device };
      this.setStatus(this.readyStatus);
      return runtime;
    } catch (error) {
      if (this.unloading.signal.aborted) return undefined;
      this.setStatus({
        state: 'failed',
        error:
          error instanceof RuntimeLoadError
            ? error.failure
            : {
                message: `The embedded model could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
                hint: 'Run "gptoss-agent doctor" to see what is missing.',
              },
      });
      return undefined;
    }
  }

  /** Progress only moves forward, in steps a user can see (node-llama-cpp reports some of it late). */
  private reportProgress(progress: number, message: string): void {
    const now = this.current;
    if (now.state !== 'loading') return;
    if (progress < now.progress || (progress - now.progress < 0.01 && message === now.message)) return;
    this.setStatus({ state: 'loading', progress, message });
  }

  private setStatus(status: BackendStatus): void {
    this.current = status;
    for (const listener of this.listeners) listener(status);
  }
}

const ABORTED = Symbol('aborted');

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
