// System-message namespaces sent to a server that knows functions only: flattened
// into names such servers accept, and the model's calls named back.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage, GenerateRequest } from '../../src/model/backend.js';
import { flattenSystemTools } from '../../src/model/flat-system-tools.js';
import { OpenAICompatibleBackend } from '../../src/model/openai-compatible.js';
import { startChatServer, type ChatServer } from '../fixtures/chat-server.js';
import { collect } from './model-events.js';

const openFile = {
  name: 'open_file',
  description: 'Show a file.',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};
const exec = {
  name: 'exec',
  description: 'Run a command.',
  parameters: { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } } },
};
const gitTool = { name: 'git', description: 'Git.', parameters: { type: 'object', properties: {} } };

const history: ChatMessage[] = [
  { role: 'user', content: 'show a.ts' },
  {
    role: 'assistant',
    content: '',
    toolCalls: [{ id: 'c1', name: 'repo_browser.open_file', arguments: '{"path":"a.ts"}' }],
  },
  { role: 'tool', toolCallId: 'c1', name: 'repo_browser.open_file', content: 'export {};' },
];

function request(overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    instructions: 'You are a coding agent.',
    messages: history,
    tools: [gitTool],
    systemTools: [
      { name: 'repo_browser', description: 'Browse.', tools: [openFile] },
      { name: 'container', tools: [exec] },
    ],
    ...overrides,
  };
}

describe('flattenSystemTools', () => {
  it('declares each namespaced tool as a function with a name OpenAI-style servers accept, before the others', () => {
    const flat = flattenSystemTools(request());
    expect(flat.request.tools.map((tool) => tool.name)).toEqual(['repo_browser__open_file', 'container__exec', 'git']);
    for (const tool of flat.request.tools) expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(flat.request).not.toHaveProperty('systemTools');
    // The namespace's description is said once, with its first tool.
    expect(flat.request.tools[0]).toMatchObject({
      description: 'Browse.\nShow a file.',
      parameters: openFile.parameters,
    });
    expect(flat.request.tools[1]).toMatchObject({ description: exec.description });
  });

  it('renames the earlier calls and results, and names the model’s calls back', () => {
    const flat = flattenSystemTools(request());
    expect(flat.request.messages[1]).toMatchObject({ toolCalls: [{ name: 'repo_browser__open_file' }] });
    expect(flat.request.messages[2]).toMatchObject({ name: 'repo_browser__open_file' });
    expect(flat.qualifiedName('repo_browser__open_file')).toBe('repo_browser.open_file');
    expect(flat.qualifiedName('container__exec')).toBe('container.exec');
    // A name the model wrote its own way is left for the loop's resolver.
    expect(flat.qualifiedName('repo_browser.open_file')).toBe('repo_browser.open_file');
    expect(flat.qualifiedName('git')).toBe('git');
  });

  it('leaves a request without namespaces as it was', () => {
    const plain = request({ systemTools: undefined });
    delete plain.systemTools;
    const flat = flattenSystemTools(plain);
    expect(flat.request).toEqual(plain);
    expect(flat.request.messages).toBe(plain.messages);
  });
});

describe('a Chat Completions server given the native surface', () => {
  let server: ChatServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is sent functions only, and the call it returns arrives under its qualified name', async () => {
    server = await startChatServer([
      { step: { toolCalls: [{ name: 'repo_browser__open_file', arguments: { path: 'b.ts' } }] } },
    ]);
    const backend = new OpenAICompatibleBackend({ endpoint: server.url, model: 'gpt-oss-20b' });
    const result = await collect(backend.generate(request()));
    expect(result.toolCalls).toEqual([expect.objectContaining({ name: 'repo_browser.open_file' })]);
    const body = server.chatBodies[0] as { tools: Array<{ function: { name: string } }> };
    expect(body.tools.map((tool) => tool.function.name)).toEqual(['repo_browser__open_file', 'container__exec', 'git']);
    expect(JSON.stringify(body)).not.toContain('repo_browser.open_file');
    await backend.dispose();
  });
});
