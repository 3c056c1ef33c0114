// How many o200k tokens the agent sends before the model can say a word:
// runs the built binary's `exec "Say hi"` in an empty git repository against
// a loopback server that records the request, and counts instructions, tool
// definitions and messages the way ../shared/tools/count-request.mjs does; then
// the same request over raw harmony (a loopback server speaking vLLM's dialect,
// which receives token ids): the prompt exactly as gpt-oss reads it, the system
// message's tool namespaces and every special token included.
// usage: npm run build && npx tsx test/bench/first-request-tokens.ts [--tool-surface native|functions]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { startChatServer } from '../fixtures/chat-server.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { cliPath } from '../fixtures/cli.js';
import { startDialectServer } from '../fixtures/server-dialects.js';

const server = await startChatServer([{ step: { answer: 'Hi!' } }]);
const raw = await startDialectServer('vllm', [{ harmony: '<|channel|>final<|message|>Hi!<|return|>' }]);
const repo = makeTempRepo();
const sayHi = (endpoint: string) =>
  promisify(execFile)(
    process.execPath,
    [cliPath, 'exec', '--endpoint', endpoint, '--model', 'gpt-oss-20b', ...process.argv.slice(2), 'Say hi'],
    { cwd: repo.root },
  );
try {
  await sayHi(server.url);
  await sayHi(raw.url);
  const body = server.chatBodies[0] as { messages: { role: string; content: string }[]; tools: unknown[] };
  const tokens = (value: unknown) => encode(typeof value === 'string' ? value : JSON.stringify(value)).length;
  const system = body.messages.filter((m) => m.role === 'system');
  const rest = body.messages.filter((m) => m.role !== 'system');
  const result = {
    instructions: tokens(system.map((m) => m.content).join('\n')),
    tools: tokens(body.tools),
    toolCount: body.tools.length,
    messages: tokens(rest),
    harmonyPrompt: raw.generations[0]?.promptTokens?.length,
  };
  // count-request.mjs counts the whole messages array (system included) as "messages".
  console.log(JSON.stringify({ ...result, total: tokens(body.tools) + tokens(body.messages) }));
} finally {
  repo.remove();
  await Promise.all([server.close(), raw.close()]);
}
