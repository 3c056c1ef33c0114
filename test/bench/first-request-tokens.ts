// How many o200k tokens the agent sends before the model can say a word:
// runs the built binary's `exec "Say hi"` in an empty git repository against
// a loopback server that records the request, and counts instructions, tool
// definitions and messages the way ../shared/tools/count-request.mjs does, and
// the same request as the harmony prompt gpt-oss reads (src/model/harmony/render.ts;
// each harmony special token counts one).
// usage: npm run build && npx tsx test/bench/first-request-tokens.ts [--tool-surface native|functions]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { startChatServer } from '../fixtures/chat-server.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { cliPath } from '../fixtures/cli.js';
import type { ReasoningEffort, ToolSpec } from '../../src/model/backend.js';
import { renderHarmonyPromptParts } from '../../src/model/harmony/render.js';

const server = await startChatServer([{ step: { answer: 'Hi!' } }]);
const repo = makeTempRepo();
try {
  await promisify(execFile)(
    process.execPath,
    [cliPath, 'exec', '--endpoint', server.url, '--model', 'gpt-oss-20b', ...process.argv.slice(2), 'Say hi'],
    {
      cwd: repo.root,
    },
  );
  const body = server.chatBodies[0] as {
    messages: { role: string; content: string }[];
    tools: { function: ToolSpec }[];
    reasoning_effort?: ReasoningEffort;
  };
  const tokens = (value: unknown) => encode(typeof value === 'string' ? value : JSON.stringify(value)).length;
  const system = body.messages.filter((m) => m.role === 'system');
  const rest = body.messages.filter((m) => m.role !== 'system');
  const result = {
    instructions: tokens(system.map((m) => m.content).join('\n')),
    tools: tokens(body.tools),
    toolCount: body.tools.length,
    messages: tokens(rest),
    harmonyPrompt: harmonyTokens(body),
  };
  // count-request.mjs counts the whole messages array (system included) as "messages".
  console.log(JSON.stringify({ ...result, total: tokens(body.tools) + tokens(body.messages) }));
} finally {
  repo.remove();
  await server.close();
}

function harmonyTokens(body: {
  messages: { role: string; content: string }[];
  tools: { function: ToolSpec }[];
  reasoning_effort?: ReasoningEffort;
}): number {
  const parts = renderHarmonyPromptParts({
    instructions: body.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n'),
    messages: body.messages.filter((m) => m.role === 'user').map((m) => ({ role: 'user', content: m.content })),
    tools: body.tools.map((tool) => tool.function),
    ...(body.reasoning_effort ? { reasoningEffort: body.reasoning_effort } : {}),
  });
  return parts.reduce<number>((sum, part) => sum + (typeof part === 'string' ? encode(part).length : 1), 0);
}
