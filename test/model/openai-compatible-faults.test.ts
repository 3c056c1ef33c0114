// How the OpenAI-compatible backend fails, retries, times out and aborts,
// against a real loopback server that misbehaves on purpose.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OpenAICompatibleBackend, type OpenAICompatibleOptions } from '../../src/model/openai-compatible.js';
import { startChatServer, type ChatServer, type ScriptedResponse } from '../fixtures/chat-server.js';
import { collect, userRequest } from './model-events.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Tiny delays so retries and timeouts take milliseconds. */
async function setup(script: ScriptedResponse[], options: Partial<OpenAICompatibleOptions> = {}) {
  server = await startChatServer(script);
  const backend = new OpenAICompatibleBackend({
    endpoint: server.url,
    model: 'gpt-oss-20b',
    retryBaseDelayMs: 5,
    ...options,
  });
  return { server, backend, url: server.url };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const serverError = { error: { code: 500, message: 'slot 0 failed to decode', type: 'server_error' } };

describe('retries', () => {
  it('retries a 500 once with a notice, then streams the answer', async () => {
    const { server, backend, url } = await setup([
      { status: 500, body: serverError },
      { step: { answer: 'recovered' } },
    ]);
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.notices).toEqual([`${url} returned 500; retrying in 5ms (attempt 2 of 3)`]);
    expect(result.answer).toBe('recovered');
    expect(result.end.stopReason).toBe('stop');
    expect(result.events.map((e) => e.type)).toEqual(['notice', 'answer', 'answer', 'end']);
    expect(server.chatBodies.length).toBe(2);
  });

  it('gives up after three attempts with the server message, doubling the delay', async () => {
    const { server, backend, url } = await setup([
      { status: 500, body: serverError },
      { status: 502, body: 'Bad Gateway' },
      { status: 503, body: serverError },
    ]);
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.notices).toEqual([
      `${url} returned 500; retrying in 5ms (attempt 2 of 3)`,
      `${url} returned 502; retrying in 10ms (attempt 3 of 3)`,
    ]);
    expect(result.end.stopReason).toBe('error');
    expect(result.end.error?.message).toBe(`${url} failed with 503 Service Unavailable: slot 0 failed to decode`);
    expect(result.end.error?.hint).toContain('--jinja');
    expect(server.chatBodies.length).toBe(3);
  });

  it('retries 429 but not other 4xx', async () => {
    const { server, backend } = await setup([
      { status: 429, body: { error: { message: 'busy' } } },
      { status: 422, body: { detail: [{ msg: 'tools[0] invalid' }] } },
    ]);
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.notices.length).toBe(1);
    expect(result.end.error?.message).toBe(
      `${server.url} rejected the request (422 Unprocessable Entity): [{"msg":"tools[0] invalid"}]`,
    );
    expect(server.chatBodies.length).toBe(2);
  });
});

describe('connection faults', () => {
  it('names the endpoint and how to start a server when nothing listens there', async () => {
    const port = await freePort();
    const backend = new OpenAICompatibleBackend({
      endpoint: `http://127.0.0.1:${port}`,
      model: 'm',
      retryBaseDelayMs: 1,
    });
    // The notices show the short delays were the ones waited (a wall-clock bound would depend on the machine).
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.notices).toEqual([
      `Could not connect to http://127.0.0.1:${port}/v1 (connection refused); retrying in 1ms (attempt 2 of 3)`,
      `Could not connect to http://127.0.0.1:${port}/v1 (connection refused); retrying in 2ms (attempt 3 of 3)`,
    ]);
    expect(result.end.stopReason).toBe('error');
    expect(result.end.error?.message).toBe(`Could not connect to http://127.0.0.1:${port}/v1 (connection refused)`);
    expect(result.end.error?.hint).toContain('llama-server -m gpt-oss-20b-mxfp4.gguf --jinja');
    expect(result.end.error?.hint).toContain('ollama serve');
  });

  it('reports a refused /models lookup the same way', async () => {
    const port = await freePort();
    const backend = new OpenAICompatibleBackend({ endpoint: `127.0.0.1:${port}`, maxAttempts: 1 });
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.error?.message).toBe(`Could not connect to http://127.0.0.1:${port}/v1 (connection refused)`);
  });
});

describe('HTTP errors', () => {
  it('401 without a key says to pass one; with a wrong key says it was not accepted', async () => {
    server = await startChatServer([], { apiKey: 'right' });
    const without = await collect(
      new OpenAICompatibleBackend({ endpoint: server.url, model: 'm' }).generate(userRequest('q')),
    );
    expect(without.end.error).toEqual({
      message: `${server.url} refused the request (401 Unauthorized): Invalid API key`,
      hint: 'The server wants an API key: pass it with --api-key or set GPTOSS_AGENT_API_KEY.',
    });
    const wrong = await collect(
      new OpenAICompatibleBackend({ endpoint: server.url, model: 'm', apiKey: 'wrong' }).generate(userRequest('q')),
    );
    expect(wrong.end.error?.hint).toBe(
      'The server did not accept the API key given with --api-key (or GPTOSS_AGENT_API_KEY); check that it is the key the server expects.',
    );
    expect(without.notices).toEqual([]);
    expect(server.requests.length).toBe(2);
  });

  it('404 points at the endpoint path and the model list', async () => {
    const { server, backend, url } = await setup(
      [{ status: 404, body: { error: { message: "model 'gpt-oss:200b' not found", type: 'not_found_error' } } }],
      { model: 'gpt-oss:200b' },
    );
    const { end, notices } = await collect(backend.generate(userRequest('q')));
    expect(end.error).toEqual({
      message: `${url}/chat/completions returned 404 Not Found: model 'gpt-oss:200b' not found`,
      hint: `Check that --endpoint is the server's OpenAI-compatible base URL (it usually ends in /v1) and that --model "gpt-oss:200b" is a model the server has; list them with: curl ${url}/models`,
    });
    expect(notices).toEqual([]);
    expect(server.chatBodies.length).toBe(1);
  });

  it('404 from a wrong path: the server answers it, the backend explains it', async () => {
    server = await startChatServer([]);
    const backend = new OpenAICompatibleBackend({ endpoint: `${server.origin}/api`, model: 'm' });
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.error?.message).toBe(
      `${server.origin}/api/chat/completions returned 404 Not Found: File Not Found: /api/chat/completions`,
    );
  });

  it('400 for a prompt over the context says how to raise the context', async () => {
    const { backend, url } = await setup([
      {
        status: 400,
        body: {
          error: {
            code: 400,
            message: 'the request exceeds the available context size, try increasing it',
            type: 'exceed_context_size_error',
            n_prompt_tokens: 40321,
            n_ctx: 32768,
          },
        },
      },
    ]);
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.error?.message).toBe(
      `The prompt is too long for the context window of the server at ${url} (40321 tokens; the server's context holds 32768): the request exceeds the available context size, try increasing it`,
    );
    expect(end.error?.hint).toContain('llama-server `-c 32768`');
    expect(end.error?.hint).toContain('`num_ctx`');
  });

  it("recognises vLLM's wording of the same problem", async () => {
    const { backend } = await setup([
      {
        status: 400,
        body: {
          object: 'error',
          message: "This model's maximum context length is 8192 tokens. However, you requested 9000 tokens.",
        },
      },
    ]);
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.error?.message).toMatch(
      /^The prompt is too long for the context window of the server at .*: This model's maximum/,
    );
  });
});

describe('cut streams', () => {
  it('retries a stream cut before any output', async () => {
    const { backend, url } = await setup([
      { step: { answer: 'hello' }, cutAfterChunks: 1 },
      { step: { answer: 'hello' } },
    ]);
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.notices).toEqual([`${url} closed the connection before answering; retrying in 5ms (attempt 2 of 3)`]);
    expect(result.answer).toBe('hello');
    expect(result.end.stopReason).toBe('stop');
  });

  it('does not retry a stream cut after output, says how far it got, and stays usable', async () => {
    const { server, backend, url } = await setup([
      { step: { answer: 'hello world' }, cutAfterChunks: 3 },
      { step: { answer: 'next' } },
    ]);
    const cut = await collect(backend.generate(userRequest('q')));
    expect(cut.answer).toBe('hello worl');
    expect(cut.notices).toEqual([]);
    expect(cut.end.stopReason).toBe('error');
    expect(cut.end.error?.message).toBe(
      `${url} closed the stream in the middle of the answer, after 2 tokens; what arrived is kept`,
    );
    expect(cut.end.usage.outputTokens).toBe(2);
    expect(server.chatBodies.length).toBe(1);

    const next = await collect(backend.generate(userRequest('q')));
    expect(next.answer).toBe('next');
  });

  it('treats a body that ends without finish_reason or [DONE] as cut', async () => {
    const { backend, url } = await setup([{ step: { answer: 'abcdefgh' }, endAfterChunks: 2 }]);
    const { end } = await collect(backend.generate(userRequest('q')));
    expect(end.error?.message).toBe(
      `${url} closed the stream in the middle of the answer, after 1 token; what arrived is kept`,
    );
  });

  it('keeps the text a cut stream held back, and neither retries nor makes a cut-off tool call', async () => {
    const answer = 'The answer is forty-two, and here is why.';
    const { server, backend, url } = await setup([
      // Raw harmony: the parser holds text back until it knows what follows, so nothing was passed on yet.
      { step: { answer }, flavour: 'harmony', chunkSize: 50, cutAfterChunks: 2 },
      { step: { answer: 'a second, different answer' } },
    ]);
    const cut = await collect(backend.generate(userRequest('q')));
    expect(cut.answer.length).toBeGreaterThan(0);
    expect(answer.startsWith(cut.answer)).toBe(true);
    expect(cut.notices).toEqual([]);
    expect(cut.end.error?.message).toBe(
      `${url} closed the stream in the middle of the answer, after 1 token; what arrived is kept`,
    );
    expect(server.chatBodies.length).toBe(1);

    const call = {
      name: 'apply_patch',
      arguments: { input: '*** Begin Patch\n*** Delete File: a.txt\n*** End Patch' },
    };
    const { server: second, backend: again } = await setup([
      { step: { toolCalls: [call] }, cutAfterChunks: 6 },
      { step: { toolCalls: [call] } },
    ]);
    const events = await collect(again.generate(userRequest('q')));
    expect(events.events.filter((e) => e.type === 'tool_call')).toEqual([]);
    expect(events.end.stopReason).toBe('error');
    expect(second.chatBodies.length).toBe(1);
  });

  it('says a web page is not the API, without retrying', async () => {
    const page = '<!doctype html><html><head><title>Open WebUI</title></head><body>Sign in</body></html>';
    const { server, backend, url } = await setup([
      { status: 200, body: page, headers: { 'content-type': 'text/html; charset=utf-8' } },
    ]);
    const { end, notices } = await collect(backend.generate(userRequest('q')));
    expect(notices).toEqual([]);
    expect(end.error?.message).toBe(
      `${url}/chat/completions answered with a web page (text/html, "Open WebUI"), not an OpenAI-compatible API`,
    );
    expect(end.error?.hint).toMatch(/Check the URL and path of --endpoint/);
    expect(server.chatBodies.length).toBe(1);
  });

  it('ends with the error a server sends inside the stream', async () => {
    const { backend, url } = await setup([{ step: { answer: 'partial', error: 'out of memory' } }]);
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.answer).toBe('partial');
    expect(result.end.error?.message).toBe(`${url} reported an error after 2 tokens: out of memory`);
  });
});

describe('the output limit', () => {
  it('sends max_tokens and stops reading a server that streams past it', async () => {
    const { server, backend } = await setup([{ endless: { text: 'la ', maxChunks: 1_000_000 } }]);
    const result = await collect(backend.generate(userRequest('q', { maxOutputTokens: 50 })));
    expect(server.chatBodies[0]).toMatchObject({ max_tokens: 50 });
    expect(result.end.stopReason).toBe('length');
    expect(result.end.error).toBeUndefined();
    // The 51st token shows the server ignores the limit; nothing after it is read.
    expect(result.answer).toBe('la '.repeat(51));
    // The server saw the client go away before its own bound (what it wrote meanwhile sat in socket buffers).
    await vi.waitFor(() => expect(server.streamedChunks).toHaveLength(1), { timeout: 15_000 });
    expect(server.streamedChunks[0]).toBeLessThan(1_000_000);
  });
});

describe('timeouts', () => {
  it('gives up on a server that never answers, retrying first', async () => {
    const { server, backend, url } = await setup([{ hang: true }, { hang: true }], {
      firstTokenTimeoutMs: 40,
      maxAttempts: 2,
    });
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.notices).toEqual([`${url} sent nothing for 40ms; retrying in 5ms (attempt 2 of 2)`]);
    expect(result.end.stopReason).toBe('error');
    expect(result.end.error?.message).toBe(`${url} sent nothing for 40ms`);
    expect(server.chatBodies.length).toBe(2);
  });

  it('waits past the idle limit for the first token, then applies the idle limit', async () => {
    const { backend, url } = await setup([{ step: { answer: 'one two three' }, delayMs: 60, stallAfterChunks: 3 }], {
      firstTokenTimeoutMs: 5000,
      idleTimeoutMs: 40,
    });
    // The role chunk comes at once, the first token 60ms later: longer than the idle limit, but no token had come yet.
    const result = await collect(backend.generate(userRequest('q')));
    expect(result.answer).toBe('one t');
    expect(result.notices).toEqual([]);
    expect(result.end.error?.message).toBe(`${url} stopped sending for 40ms after 1 token; what arrived is kept`);
  });
});

describe('abort and dispose', () => {
  it('stops mid-stream with what arrived, and the next generation works', async () => {
    const { backend } = await setup([
      { step: { answer: 'one two three four five six seven eight' }, delayMs: 15 },
      { step: { answer: 'again' } },
    ]);
    const controller = new AbortController();
    let answers = 0;
    const result = await collect(backend.generate(userRequest('q', { signal: controller.signal })), (event) => {
      if (event.type === 'answer' && ++answers === 2) controller.abort();
    });
    expect(result.answer).toBe('one two th'); // two 5-character chunks
    expect(result.end.stopReason).toBe('aborted');
    expect(result.end.error).toBeUndefined();
    expect(result.end.usage.outputTokens).toBe(2);

    const next = await collect(backend.generate(userRequest('q')));
    expect(next.answer).toBe('again');
  });

  it('aborts while waiting for the first token and while backing off', async () => {
    const { backend } = await setup([{ hang: true }, { status: 503, body: serverError }], { retryBaseDelayMs: 60_000 });
    const waiting = new AbortController();
    setTimeout(() => waiting.abort(), 30);
    const first = await collect(backend.generate(userRequest('q', { signal: waiting.signal })));
    expect(first.end).toEqual({ type: 'end', stopReason: 'aborted', usage: { promptTokens: 0, outputTokens: 0 } });

    const backingOff = new AbortController();
    const started = Date.now();
    const second = await collect(backend.generate(userRequest('q', { signal: backingOff.signal })), (event) => {
      if (event.type === 'notice') backingOff.abort();
    });
    expect(second.notices.length).toBe(1);
    expect(second.end.stopReason).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('ends at once when the signal was aborted before it started', async () => {
    const { server, backend } = await setup([]);
    const { events } = await collect(backend.generate(userRequest('q', { signal: AbortSignal.abort() })));
    expect(events).toEqual([{ type: 'end', stopReason: 'aborted', usage: { promptTokens: 0, outputTokens: 0 } }]);
    expect(server.requests).toEqual([]);
  });

  it('dispose() aborts a generation in flight', async () => {
    const { backend } = await setup([{ step: { answer: 'abcdefghij' }, stallAfterChunks: 2 }]);
    const result = await collect(backend.generate(userRequest('q')), (event) => {
      if (event.type === 'answer') void backend.dispose();
    });
    expect(result.answer).toBe('abcde');
    expect(result.end.stopReason).toBe('aborted');
    await backend.dispose();
    const after = await collect(backend.generate(userRequest('q')));
    expect(after.end.error?.message).toBe(`The connection to ${backend.endpoint} was already closed`);
  });
});
