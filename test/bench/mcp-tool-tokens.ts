// How many o200k tokens MCP tools add to the first request: runs the built binary's
// `exec "Say hi"` in an empty git repository against a loopback server, once with no
// MCP servers and once with server-everything and server-filesystem in the user config,
// and counts the request the way first-request-tokens.ts does.
// usage: npm run build && npx tsx test/bench/mcp-tool-tokens.ts
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { startChatServer } from '../fixtures/chat-server.js';
import { cliPath } from '../fixtures/cli.js';
import { everythingServer, filesystemServer } from '../fixtures/mcp-servers.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

async function firstRequest(mcpServers: Record<string, unknown> | undefined) {
  const server = await startChatServer([{ step: { answer: 'Hi!' } }]);
  const repo = makeTempRepo();
  const home = makeTempRepo({}, { git: false });
  try {
    const configDir = path.join(home.root, 'config/gptoss-agent');
    mkdirSync(configDir, { recursive: true });
    if (mcpServers) writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ mcpServers }));
    await promisify(execFile)(
      process.execPath,
      [cliPath, 'exec', '--endpoint', server.url, '--model', 'gpt-oss-20b', 'Say hi'],
      {
        cwd: repo.root,
        env: {
          ...process.env,
          XDG_CONFIG_HOME: path.join(home.root, 'config'),
          XDG_STATE_HOME: path.join(home.root, 'state'),
        },
      },
    );
    const body = server.chatBodies[0] as { messages: unknown[]; tools: { function: { name: string } }[] };
    const tokens = (value: unknown) => encode(JSON.stringify(value)).length;
    return {
      tools: body.tools.length,
      mcpTools: body.tools.filter((tool) => tool.function.name.startsWith('mcp__')).length,
      toolTokens: tokens(body.tools),
      total: tokens(body.tools) + tokens(body.messages),
    };
  } finally {
    repo.remove();
    home.remove();
    await server.close();
  }
}

const root = makeTempRepo({ 'a.txt': 'a\n' });
try {
  const none = await firstRequest(undefined);
  const everything = await firstRequest({ everything: everythingServer });
  const filesystem = await firstRequest({ fs: filesystemServer(root.root) });
  const both = await firstRequest({ everything: everythingServer, fs: filesystemServer(root.root) });
  console.log(JSON.stringify({ none, everything, filesystem, both, added: both.total - none.total }, null, 2));
} finally {
  root.remove();
}
