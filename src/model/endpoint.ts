// Turns what the user passes as --endpoint into the base URL of an
// OpenAI-compatible API: the part that /chat/completions and /models hang off.

/**
 * Accepts `host:port`, `http://host:port`, `…/v1`, a trailing slash, or a
 * pasted operation URL (`…/v1/chat/completions`). A bare host gets `/v1`,
 * because that is where llama-server, vLLM, Ollama and LM Studio all serve it.
 * Throws when the text is not a URL at all, with an example that is.
 */
export function normalizeEndpoint(input: string): string {
  const text = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`--endpoint "${input}" is not a URL; use one like http://127.0.0.1:8080/v1`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--endpoint "${input}" must start with http:// or https://`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/(chat\/completions|completions|models)$/, '');
  if (path === '') path = '/v1';
  return `${url.protocol}//${url.host}${path}`;
}
