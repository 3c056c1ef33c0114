// The symbols tool inside the built UI: the interactive mode is bundled
// into chunks, so its worker threads (the lookup and the parse threads of a
// cold index) must be found from there, not next to the chunk.
import { describe, expect, it } from 'vitest';
import { startChatServer } from '../fixtures/chat-server.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { terminalTests } from '../fixtures/terminal-tests.js';

const ui = terminalTests();

describe('symbols in the interactive UI', { timeout: 120_000 }, () => {
  it('looks a name up in a repository large enough for parse threads', async () => {
    const files: Record<string, string> = { 'src/main.ts': 'export function startServer(port: number) {\n}\n' };
    // More files than one thread parses alone (INLINE_PARSE_LIMIT), so the cold index starts parse threads.
    for (let i = 0; i < 200; i++) files[`src/part${i}.ts`] = `export function part${i}() {\n  return ${i};\n}\n`;
    const repo = makeTempRepo(files);
    ui.defer(() => repo.remove());
    const server = await startChatServer([
      { step: { toolCalls: [{ name: 'symbols', arguments: { name: 'startServer' } }] } },
      { step: { answer: 'Found where the server starts.' } },
    ]);
    ui.defer(() => server.close());
    const term = await ui.open(['--endpoint', server.url, '--model', 'gpt-oss-20b'], { cwd: repo.root });
    await term.waitFor('Ask gpt-oss to do something');
    term.type('where does the server start?');
    term.press('Enter');
    await term.waitFor('Found where the server starts.');
    const second = server.chatBodies[1] as { messages: { role: string; content: string }[] };
    const result = second.messages.find((message) => message.role === 'tool');
    expect(result?.content).toContain(
      'src/main.ts:1 function startServer: export function startServer(port: number) {',
    );
  });
});
