// Turns what went wrong talking to an OpenAI-compatible server into a
// ModelFailure that names the endpoint and says what to check, and decides
// whether trying again could help.
import { STATUS_CODES } from 'node:http';
import type { ModelFailure } from './backend.js';

export interface Fault {
  /** One short line for a retry notice, e.g. "http://127.0.0.1:8080/v1 returned 503". */
  summary: string;
  failure: ModelFailure;
  retryable: boolean;
  /** The server's Retry-After, when it sent one. */
  retryAfterMs?: number;
}

export interface FaultContext {
  endpoint: string;
  model: string;
  apiKeyGiven: boolean;
}

const START_HINT =
  'Is the model server running, and does --endpoint point at it? For example, start ' +
  '`llama-server -m gpt-oss-20b-mxfp4.gguf --jinja -c 0 --port 8080` and pass --endpoint http://127.0.0.1:8080, ' +
  'or run `ollama pull gpt-oss:20b` and `ollama serve` and pass --endpoint http://127.0.0.1:11434/v1.';

const CONTEXT_HINT =
  "Give the server a larger context window: llama-server `-c 32768` (or `-c 0` for the model's full 131072), " +
  'Ollama `OLLAMA_CONTEXT_LENGTH=32768 ollama serve` (or the `num_ctx` parameter), vLLM `--max-model-len`, ' +
  "LM Studio the model's Context Length setting. Or start a new conversation.";

const CONNECTION_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
};

/** The request never got an HTTP response: refused, reset, DNS, TLS. */
export function connectionFault(ctx: FaultContext, error: unknown): Fault {
  const code = errorCode(error);
  if (code && /CERT|TLS|SSL/.test(code)) {
    return {
      summary: `Could not connect to ${ctx.endpoint} (TLS certificate rejected)`,
      failure: {
        message: `Could not connect to ${ctx.endpoint}: its TLS certificate was rejected (${code})`,
        hint: 'Use http:// for a local server, or trust its certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.',
      },
      retryable: false,
    };
  }
  const reason = (code && CONNECTION_REASONS[code]) ?? innermostMessage(error);
  const message = `Could not connect to ${ctx.endpoint} (${reason})`;
  return { summary: message, failure: { message, hint: START_HINT }, retryable: true };
}

/** The server answered with an error status. */
export function httpFault(
  ctx: FaultContext,
  status: number,
  body: string,
  retryAfter: string | null,
  /** Below the endpoint, or a whole URL (Ollama's native API lives outside /v1). */
  path = '/chat/completions',
): Fault {
  const said = serverMessage(body);
  const statusText = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
  const summary = `${ctx.endpoint} returned ${status}`;
  const detail = said ? `: ${said}` : '';
  const retryAfterMs = parseRetryAfter(retryAfter);
  const withRetryAfter = (fault: Fault): Fault => (retryAfterMs !== undefined ? { ...fault, retryAfterMs } : fault);

  if (status === 401 || status === 403) {
    return {
      summary,
      failure: {
        message: `${ctx.endpoint} refused the request (${statusText})${detail}`,
        hint: ctx.apiKeyGiven
          ? 'The server did not accept the API key given with --api-key (or GPTOSS_AGENT_API_KEY); check that it is the key the server expects.'
          : 'The server wants an API key: pass it with --api-key or set GPTOSS_AGENT_API_KEY.',
      },
      retryable: false,
    };
  }
  if (status === 404) {
    return {
      summary,
      failure: {
        message: `${/^https?:/.test(path) ? path : `${ctx.endpoint}${path}`} returned ${statusText}${detail}`,
        hint:
          "Check that --endpoint is the server's OpenAI-compatible base URL (it usually ends in /v1) and that " +
          `--model "${ctx.model}" is a model the server has; list them with: curl ${ctx.endpoint}/models`,
      },
      retryable: false,
    };
  }
  if ((status === 400 || status === 413) && isContextOverflow(said, body)) {
    return {
      summary,
      failure: { message: contextMessage(ctx.endpoint, said, body), hint: CONTEXT_HINT, ...serverWindow(body) },
      retryable: false,
    };
  }
  if (status === 408 || status === 429) {
    return withRetryAfter({
      summary,
      failure: {
        message: `${ctx.endpoint} is too busy to answer (${statusText})${detail}`,
        hint: 'Wait a moment and try again. A local server answers one request per slot (llama-server --parallel).',
      },
      retryable: true,
    });
  }
  if (status >= 500) {
    return withRetryAfter({
      summary,
      failure: {
        message: `${ctx.endpoint} failed with ${statusText}${detail}`,
        hint:
          "The server's log says why. With llama-server, check it was started with --jinja (gpt-oss needs its chat " +
          'template for tools) and that the model fits in memory.',
      },
      retryable: true,
    });
  }
  return {
    summary,
    failure: {
      message: `${ctx.endpoint} rejected the request (${statusText})${detail}`,
      hint: 'The server may not support part of the request (tools, response_format); its log says which. Check --endpoint and --model too.',
    },
    retryable: false,
  };
}

/** The server sent `{"error": …}` inside an otherwise good stream. */
export function streamErrorFault(ctx: FaultContext, error: unknown, outputTokens: number): Fault {
  const said = serverMessage(JSON.stringify({ error })) || 'no details';
  if (isContextOverflow(said, JSON.stringify(error))) {
    return {
      summary: `${ctx.endpoint} reported an error`,
      failure: {
        message: contextMessage(ctx.endpoint, said, JSON.stringify({ error })),
        hint: CONTEXT_HINT,
        ...serverWindow(JSON.stringify({ error })),
      },
      retryable: false,
    };
  }
  return {
    summary: `${ctx.endpoint} reported an error`,
    failure: {
      message: `${ctx.endpoint} reported an error ${outputTokens > 0 ? `after ${tokens(outputTokens)}` : 'before answering'}: ${said}`,
      hint: "The server's log says why; try again.",
    },
    retryable: true,
  };
}

/**
 * The body ended, or the socket broke, before the server said it was done. Before any token it is
 * tried again; after some, never: what arrived was shown and is kept, and asking again could repeat it.
 */
export function cutFault(ctx: FaultContext, outputTokens: number): Fault {
  if (outputTokens === 0) {
    return {
      summary: `${ctx.endpoint} closed the connection before answering`,
      failure: {
        message: `${ctx.endpoint} closed the connection before answering`,
        hint: 'The server may have crashed or run out of memory; check its log, then try again.',
      },
      retryable: true,
    };
  }
  const message = `${ctx.endpoint} closed the stream in the middle of the answer, after ${tokens(outputTokens)}`;
  return {
    summary: message,
    failure: {
      message: `${message}; what arrived is kept`,
      hint: 'The server may have crashed, been restarted or run out of memory; check its log, then ask again (or say "continue").',
    },
    retryable: false,
  };
}

/** A 200 with a web page: the URL reaches a web server or a UI, not the API. */
export function notAnApiFault(ctx: FaultContext, contentType: string, start: string): Fault {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(start)?.[1]?.replace(/\s+/g, ' ').trim();
  const message =
    `${ctx.endpoint}/chat/completions answered with a web page (${contentType.split(';')[0]}` +
    `${title ? `, "${title.slice(0, 80)}"` : ''}), not an OpenAI-compatible API`;
  return {
    summary: message,
    failure: {
      message,
      hint:
        "Check the URL and path of --endpoint: it must be the API's base URL, which usually ends in /v1 " +
        '(llama-server http://127.0.0.1:8080/v1, Ollama http://127.0.0.1:11434/v1), not the address of a web UI or proxy page.',
    },
    retryable: false,
  };
}

export function firstTokenTimeoutFault(ctx: FaultContext, ms: number): Fault {
  const message = `${ctx.endpoint} sent nothing for ${describeDuration(ms)}`;
  return {
    summary: message,
    failure: {
      message,
      hint:
        'The server may be stuck, or still reading a very long prompt on slow hardware; its log says which ' +
        '(llama-server logs prompt-processing progress). A shorter conversation or a faster server helps.',
    },
    retryable: true,
  };
}

export function idleTimeoutFault(ctx: FaultContext, ms: number, outputTokens: number): Fault {
  const message = `${ctx.endpoint} stopped sending for ${describeDuration(ms)} after ${tokens(outputTokens)}`;
  return {
    summary: message,
    failure: {
      message: outputTokens > 0 ? `${message}; what arrived is kept` : message,
      hint: 'The server may be stuck or overloaded; check its log, then try again.',
    },
    // After tokens, as with a cut stream: what arrived is kept, not asked for again.
    retryable: outputTokens === 0,
  };
}

/** GET /models did not give a usable model name. */
export function discoveryFault(ctx: FaultContext, reason: string): Fault {
  return {
    summary: `Could not list the models of ${ctx.endpoint}`,
    failure: {
      message: `No --model was given and the models of ${ctx.endpoint} could not be listed: ${reason}`,
      hint:
        'Name the model with --model (the name the server uses, e.g. gpt-oss:20b for Ollama), ' +
        `or check that --endpoint is right: curl ${ctx.endpoint}/models`,
    },
    retryable: false,
  };
}

/** "950ms", "1.5s", "2 minutes". */
export function describeDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const minutes = Math.round(ms / 6000) / 10;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function tokens(count: number): string {
  return `${count} token${count === 1 ? '' : 's'}`;
}

/** The error message a server put in its body: `{error:{message}}`, `{error}`, `{message}`, `{detail}`, or text. */
export function serverMessage(body: string): string {
  let text = body.trim();
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const error = parsed.error;
    const found =
      (typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error) ??
      parsed.message ??
      parsed.detail;
    if (found !== undefined) text = typeof found === 'string' ? found : JSON.stringify(found);
  } catch {
    text = text.replace(/<[^>]*>/g, ' '); // an HTML error page from a proxy
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Whether an error body says the prompt did not fit the context window. */
export function isContextOverflowBody(body: string): boolean {
  return isContextOverflow(serverMessage(body), body);
}

function isContextOverflow(said: string, body: string): boolean {
  return (
    /exceed_context_size_error/.test(body) ||
    /context (size|length|window)|too long|maximum.{0,20}length|n_ctx|num_ctx|exceeds? .{0,40}tokens/i.test(said)
  );
}

function contextMessage(endpoint: string, said: string, body: string): string {
  // llama-server puts the numbers in the error object: n_prompt_tokens, n_ctx.
  const prompt = /"n_prompt_tokens"\s*:\s*(\d+)/.exec(body)?.[1];
  const context = /"n_ctx"\s*:\s*(\d+)/.exec(body)?.[1];
  const numbers = prompt && context ? ` (${prompt} tokens; the server's context holds ${context})` : '';
  return `The prompt is too long for the context window of the server at ${endpoint}${numbers}: ${said}`;
}

/** llama-server names its window (n_ctx) when it refuses a prompt as too long. */
function serverWindow(body: string): { contextSize?: number } {
  const size = Number(/"n_ctx"\s*:\s*(\d+)/.exec(body)?.[1]);
  return Number.isInteger(size) && size > 0 ? { contextSize: size } : {};
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The `code` of an error or of its causes (undici wraps socket errors, Happy Eyeballs aggregates them). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = errorCode(errors[0]);
      if (inner) return inner;
    }
    current = cause;
  }
  return undefined;
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  let message = 'unknown error';
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    message = current.message || message;
    current = current.cause;
  }
  return message;
}
