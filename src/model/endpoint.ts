// Turns what the user passes as --endpoint into the base URL of an
// OpenAI-compatible API: the part that /chat/completions and /models hang off.

const EXAMPLE = 'use one like http://127.0.0.1:8080/v1';

/** The text cannot be an endpoint; the message names the text and what to give instead. */
export class EndpointError extends Error {
  override name = 'EndpointError';
}

/**
 * Accepts `host:port`, `http://host:port`, `…/v1`, a trailing slash, or a
 * pasted operation URL (`…/v1/chat/completions`). A bare host gets `/v1`,
 * because that is where llama-server, vLLM, Ollama and LM Studio all serve it.
 * Throws an EndpointError when the text is not such a URL, with an example that is.
 */
export function normalizeEndpoint(input: string): string {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(withScheme)![1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new EndpointError(
      `"${input}" uses ${scheme}://, but the server is reached over http:// or https://; ${EXAMPLE}`,
    );
  }
  const port = /^[a-z]+:\/\/(?:[^/@]*@)?(?:\[[^\]]*\]|[^/:]*):(\d+)/i.exec(withScheme)?.[1];
  if (port !== undefined && Number(port) > 65535) {
    throw new EndpointError(`"${input}" has port ${port}, but ports go from 1 to 65535; ${EXAMPLE}`);
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new EndpointError(`"${input}" is not a URL; ${EXAMPLE}`);
  }
  if (url.hostname === '') throw new EndpointError(`"${input}" names no host; ${EXAMPLE}`);
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/(chat\/completions|completions|models)$/, '');
  if (path === '') path = '/v1';
  return `${url.protocol}//${url.host}${path}`;
}

/** Why the text is not an endpoint, or undefined when it is one. */
export function endpointProblem(input: string): string | undefined {
  try {
    normalizeEndpoint(input);
    return undefined;
  } catch (error) {
    if (error instanceof EndpointError) return error.message;
    throw error;
  }
}

/** host:port of an endpoint, for status lines and messages; the text itself when it is not a URL. */
export function endpointHost(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}
