// How many o200k tokens the first request of `gptoss-agent review` sends
// for a typical small change (one function edited in a 120-line file, one
// new 40-line file): the review instructions, the read-only tool
// definitions, and the change itself with its callers.
// usage: npm run build && npx tsx test/bench/review-request-tokens.ts
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { startChatServer } from '../fixtures/chat-server.js';
import { cliPath } from '../fixtures/cli.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const helpers = Array.from(
  { length: 20 },
  (_, i) =>
    `export function helper${i}(value: number): number {\n  const doubled = value * 2;\n  return doubled + ${i};\n}\n`,
).join('\n');
const before = `${helpers}\nexport function total(items: number[]): number {\n  let sum = 0;\n  for (const item of items) sum += item;\n  return sum;\n}\n`;
const after = before.replace(
  'for (const item of items) sum += item;',
  'for (let i = 0; i <= items.length; i++) sum += items[i]!;',
);
const added = Array.from({ length: 40 }, (_, i) => `export const setting${i} = total([${i}, ${i + 1}]);`).join('\n');

const server = await startChatServer([{ step: { answer: '{"findings": []}' } }]);
const repo = makeTempRepo({
  'src/math.ts': before,
  'src/report.ts': "import { total } from './math';\nexport const all = total([1, 2, 3]);\n",
});
try {
  repo.write('src/math.ts', after);
  repo.write('src/settings.ts', `import { total } from './math';\n${added}\n`);
  repo.git('add', '-A');
  await promisify(execFile)(process.execPath, [cliPath, 'review', '--endpoint', server.url, '--model', 'gpt-oss-20b'], {
    cwd: repo.root,
    env: { ...process.env, HOME: repo.root },
  });
  const body = server.chatBodies[0] as { messages: { role: string; content: string }[]; tools: unknown[] };
  const tokens = (value: unknown) => encode(typeof value === 'string' ? value : JSON.stringify(value)).length;
  const system = body.messages.filter((m) => m.role === 'system');
  const rest = body.messages.filter((m) => m.role !== 'system');
  console.log(
    JSON.stringify({
      instructions: tokens(system.map((m) => m.content).join('\n')),
      tools: tokens(body.tools),
      toolCount: body.tools.length,
      change: tokens(rest),
      total: tokens(body.tools) + tokens(body.messages),
    }),
  );
} finally {
  repo.remove();
  await server.close();
}
