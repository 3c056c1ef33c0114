// The built binary in tmux with an MCP server in the user config and a custom
// command in the repository: completion offers the command, /mcp shows the
// server, and the model's call of an MCP tool asks first, then runs.
import { describe, expect, it } from 'vitest';
import { startChatServer } from '../fixtures/chat-server.js';
import { everythingServer } from '../fixtures/mcp-servers.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { terminalTests } from '../fixtures/terminal-tests.js';

const ui = terminalTests();

describe('MCP and custom commands in the terminal UI', { timeout: 120_000 }, () => {
  it('offers a custom command, lists the server in /mcp, and asks before an MCP tool runs', async () => {
    const server = await startChatServer([
      { step: { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'from the model' } }] } },
      { step: { answer: 'The server echoed it.' } },
    ]);
    ui.defer(() => server.close());
    const repo = makeTempRepo({
      'hello.txt': 'hello world\n',
      '.gptoss-agent/commands/shout.md': '---\ndescription: Echo words through the server\n---\nEcho $ARGUMENTS\n',
    });
    ui.defer(() => repo.remove());
    const term = await ui.open(['--endpoint', server.url, '--model', 'gpt-oss-20b', '--no-sandbox'], {
      cwd: repo.root,
      home: ui.home({ mcpServers: { everything: everythingServer } }),
    });
    await term.waitFor('Ask gpt-oss to do something');
    await term.waitFor(/MCP server "everything" is ready \(\d+ tools\)/);
    term.type('/mcp');
    term.press('Enter');
    // The server's command line wraps where the checkout's path is long: words may break at any space.
    await term.waitFor(/stdio\):\s+ready,\s+\d+\s+tools/);
    term.type('/sh');
    await term.waitFor('Echo words through the server (project)');
    term.type('out from the model');
    term.press('Enter');
    const asking = await term.waitFor('Call this MCP tool?');
    expect(asking).toContain('MCP server everything: echo');
    // The transcript shows what is sent: the command's expanded text.
    expect(asking).toContain('› Echo from the model');
    term.type('y');
    await term.waitFor('The server echoed it.');
    expect(JSON.stringify(server.chatBodies[0])).toContain('Echo from the model');
    expect(JSON.stringify(server.chatBodies[1])).toContain('Echo: from the model');
  });
});
