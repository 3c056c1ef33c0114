// Whether the configured OpenAI-compatible server answers, and what it serves.
import { normalizeEndpoint } from '../model/endpoint.js';
import type { CheckResult } from './check.js';

export async function checkEndpoint(
  endpoint: string | undefined,
  apiKey: string | undefined,
  timeoutMs = 5000,
): Promise<CheckResult> {
  const label = 'endpoint';
  if (!endpoint) return { label, status: 'info', detail: 'none configured; the embedded model is used' };
  let base: string;
  try {
    base = normalizeEndpoint(endpoint);
  } catch (error) {
    return { label, status: 'fail', detail: (error as Error).message };
  }
  try {
    const response = await fetch(`${base}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 401 || response.status === 403) {
      return {
        label,
        status: 'fail',
        detail: `${base} refused the request (HTTP ${response.status})`,
        fix: "Pass the server's key with --api-key or GPTOSS_AGENT_API_KEY.",
      };
    }
    if (!response.ok) {
      return {
        label,
        status: 'fail',
        detail: `${base}/models answered HTTP ${response.status}`,
        fix: 'Check the URL: it usually ends in /v1.',
      };
    }
    const body = (await response.json().catch(() => undefined)) as { data?: { id?: unknown }[] } | undefined;
    const models = (body?.data ?? []).map((model) => String(model.id)).filter(Boolean);
    return {
      label,
      status: 'ok',
      detail: `${base} answers${models.length > 0 ? `; it serves ${models.join(', ')}` : ''}`,
    };
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000} s`
        : ((error as { cause?: { code?: string } }).cause?.code ?? String(error));
    return {
      label,
      status: 'fail',
      detail: `${base} does not answer (${reason})`,
      fix: 'Start the server (e.g. llama-server -hf ggml-org/gpt-oss-20b-GGUF --jinja -c 0 --port 8080), or check the URL and port.',
    };
  }
}
