// The built binary in tmux with an MCP server that fails its first start: the
// transcript says it will try again, /mcp shows the retry in progress, then the
// server ready with its tool, which the model is offered and calls. The retry's
// start waits on a file the test creates, so nothing depends on the backoff's timing.
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { startChatServer } from '../fixtures/chat-server.js';
import { lateServer } from '../fixtures/mcp-servers.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { terminalTests } from '../fixtures/terminal-tests.js';

const ui = terminalTests();

/** Waits until the server has been started `starts` times (a safety net of 30 s, checked by count). */
async function startedTimes(counter: string, starts: number): Promise<void> {
  for (let tries = 0; tries < 600; tries++) {
    if (existsSync(counter) && Number(readFileSync(counter, 'utf8')) >= starts) return;
    await sleep(50);
  }
  throw new Error(`The MCP server was not started ${starts} times.`);
}

describe('an MCP server that starts late, in the terminal UI', { timeout: 120_000 }, () => {
  it('shows the retry in /mcp, then the server ready with its tool, which the model calls', async () => {
    const server = await startChatServer([
      { step: { toolCalls: [{ name: 'mcp__late__ping', arguments: {} }] } },
      { step: { answer: 'The late server answered.' } },
    ]);
    ui.defer(() => server.close());
    const repo = makeTempRepo({ 'hello.txt': 'hello world\n' });
    ui.defer(() => repo.remove());
    const counter = path.join(repo.root, '.git', 'late-starts');
    const gate = path.join(repo.root, '.git', 'late-gate');
    const term = await ui.open(['--endpoint', server.url, '--model', 'gpt-oss-20b', '--no-sandbox'], {
      cwd: repo.root,
      home: ui.home({ mcpServers: { late: lateServer(counter, 1, gate) } }),
    });
    await term.waitFor('Ask gpt-oss to do something');
    // Lines wrap at the terminal's width: words may break at any space.
    await term.waitFor(/MCP server "late" failed to start:[\s\S]*Retrying\s+in\s+0\.5\s+s\s+\(attempt\s+2\s+of\s+4\)/);

    // The second start is running and held at the gate: /mcp says which attempt it is.
    await startedTimes(counter, 2);
    term.type('/mcp');
    term.press('Enter');
    // The server's line names its command, which ends with the gate's path.
    const retrying = await term.waitFor(/late-gate\):\s+starting\s+\(attempt\s+2\s+of\s+4\)/);
    expect(retrying).not.toMatch(/late-gate\):\s+ready/);
    expect(retrying).not.toContain('is ready');

    await writeFile(gate, '');
    await term.waitFor(/MCP server "late" is ready \(1 tool\)/);
    term.type('/mcp');
    term.press('Enter');
    const ready = await term.waitFor(/late-gate\):\s+ready,\s+1\s+tool\s+ping/);
    expect(ready).toMatch(/starting\s+\(attempt\s+2\s+of\s+4\)/);

    // The tool that came late is offered with the next request, and runs after the user says yes.
    term.type('Ping the late server');
    term.press('Enter');
    await term.waitFor('Call this MCP tool?');
    term.type('y');
    await term.waitFor('The late server answered.');
    expect(JSON.stringify(server.chatBodies[0])).toContain('mcp__late__ping');
    expect(JSON.stringify(server.chatBodies[1])).toContain('pong on start 2');
    expect(readFileSync(counter, 'utf8')).toBe('2');
  });
});
