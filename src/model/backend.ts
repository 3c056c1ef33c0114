// The contract between the agent loop and a model, whichever serves it
// (embedded node-llama-cpp or an OpenAI-compatible HTTP server).
// One call to `generate` is one model generation: it streams events and
// always finishes with exactly one `end` event, even on failure or abort.

export type ReasoningEffort = 'low' | 'medium' | 'high';

/** A function the model may call, as the model is told about it. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments object. */
  parameters: Record<string, unknown>;
}

/**
 * Tools declared in the system message as a harmony namespace (`## repo_browser` →
 * `namespace repo_browser { … }`), the way harmony declares built-in tools. A call to one
 * arrives with the name `namespace.tool` (e.g. `repo_browser.open_file`); a call to a
 * developer-message function arrives with its bare name.
 * A namespace with no tools is one tool of its own, declared the way harmony declares
 * `python`: `## apply_patch` and its description as plain text (say there what to send).
 * Its calls go to, and arrive named, `apply_patch`; their content is free text or JSON.
 */
export interface ToolNamespaceSpec {
  name: string;
  description?: string;
  /** Tool names are bare here (`open_file`), qualified by the namespace when called. */
  tools: readonly ToolSpec[];
}

export interface ToolCallRequest {
  /** Unique within the conversation; backends invent one when the server gives none. */
  id: string;
  name: string;
  /** The raw JSON text the model produced; the loop parses and validates it. */
  arguments: string;
  /**
   * The channel the model wrote the call on, when it was not `commentary` (gpt-oss also calls
   * from `analysis`): the call is rendered back on it, so the next prompt repeats what was generated.
   */
  channel?: 'analysis';
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      /** The final-channel answer text (empty when the message only calls tools). */
      content: string;
      /** Short user-visible commentary the model wrote before a tool call. */
      preamble?: string;
      /**
       * The model's chain of thought for this message. The loop keeps it only
       * for the turn in progress; earlier turns' reasoning is removed.
       */
      reasoning?: string;
      toolCalls?: ToolCallRequest[];
    }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface GenerateRequest {
  /** Our instructions (system prompt + AGENTS.md); byte-identical between runs. */
  instructions: string;
  messages: readonly ChatMessage[];
  /** Developer-message functions (`namespace functions`). */
  tools: readonly ToolSpec[];
  /** System-message tool namespaces; absent or empty: none. */
  systemTools?: readonly ToolNamespaceSpec[];
  reasoningEffort?: ReasoningEffort;
  signal?: AbortSignal;
  maxOutputTokens?: number;
  /** When set, the final answer must be JSON matching this schema. */
  responseSchema?: Record<string, unknown>;
}

export type StopReason = 'stop' | 'tool_call' | 'length' | 'aborted' | 'error';

export interface GenerationUsage {
  /** Prompt tokens the model evaluated for this generation (excluding reused ones). */
  promptTokens: number;
  /** Prompt tokens reused from a cache (KV or server prefix cache), when known. */
  cachedPromptTokens?: number;
  outputTokens: number;
  timeToFirstTokenMs?: number;
  /** Generation speed over the output tokens. */
  tokensPerSecond?: number;
  /** The model's context window, when known. */
  contextSize?: number;
  /**
   * The server sent no prompt count (some servers send no usage at all): the agent counts the
   * request itself (o200k_harmony) and puts that in promptTokens.
   */
  promptCountedLocally?: boolean;
}

export interface ModelFailure {
  /** What happened, naming the endpoint or model file. */
  message: string;
  /** What the user can check or do next. */
  hint?: string;
  /** The server refused the request as longer than its window, and said the window's size in tokens. */
  contextSize?: number;
  /** A few words for the status line, e.g. "unreachable" or "API key refused". */
  short?: string;
}

/** What a quick check of a backend found, before any prompt: a failure, or a note (a model not listed). */
export interface ProbeResult {
  error?: ModelFailure;
  warning?: string;
}

export type ModelEvent =
  | { type: 'reasoning'; delta: string }
  | { type: 'preamble'; delta: string }
  | { type: 'answer'; delta: string }
  | { type: 'tool_call'; call: ToolCallRequest }
  /** Progress the user should see but the model never reads (a retry, a reload). */
  | { type: 'notice'; message: string }
  | { type: 'end'; stopReason: StopReason; usage: GenerationUsage; error?: ModelFailure };

export interface BackendDescription {
  kind: 'embedded' | 'openai-compatible' | 'scripted';
  /** Model name or file, as the user would recognise it. */
  model: string;
  endpoint?: string;
}

/** Where a backend stands; embedded backends load the model in the background. */
export type BackendStatus =
  | { state: 'loading'; /** 0..1 */ progress: number; message?: string }
  | {
      state: 'ready';
      contextSize?: number;
      /** e.g. "CUDA: NVIDIA H100", "CPU" */
      device?: string;
      /** Tokens of the next request being evaluated in the background (see `prepareNext`). */
      preparing?: { done: number; total: number };
    }
  | { state: 'failed'; error: ModelFailure };

/** What the next request will start with: the conversation so far, before the new message. */
export type NextRequest = Pick<
  GenerateRequest,
  'instructions' | 'messages' | 'tools' | 'systemTools' | 'reasoningEffort'
>;

/** How far a background evaluation got. */
export interface PreparedContext {
  /** Tokens of the prepared prefix. */
  tokens: number;
  /** Of those, the ones the cache already held. */
  reused: number;
  /** The ones evaluated now. */
  evaluated: number;
  /** False when cut short (a generation came, the conversation changed, the backend closed). */
  complete: boolean;
}

export interface ModelBackend {
  readonly description: BackendDescription;
  generate(request: GenerateRequest): AsyncIterable<ModelEvent>;
  /** Frees the model or connections. Safe to call more than once. */
  dispose(): Promise<void>;
  /** The current status; backends without a load phase may omit this (always ready). */
  status?(): BackendStatus;
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  onStatus?(listener: (status: BackendStatus) => void): () => void;
  /** Token count of a text with the model's own tokenizer, when the backend has one. */
  countTokens?(text: string): Promise<number>;
  /**
   * Evaluates, in the background, the prompt the next request will start with: `next`
   * rendered up to the start of a new user message. Generations come first: one that
   * arrives meanwhile stops it between chunks and goes on from where it got to, so nothing
   * is evaluated twice. A newer call replaces an older one. Never rejects.
   */
  prepareNext?(next: NextRequest): Promise<PreparedContext>;
  /** A quick check that generating could work (a server is up, takes the key, serves the model). */
  probe?(signal?: AbortSignal): Promise<ProbeResult>;
}

export function emptyUsage(): GenerationUsage {
  return { promptTokens: 0, outputTokens: 0 };
}
