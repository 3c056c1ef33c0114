// What sessions and the context budget cost per model call: counting a long
// conversation with o200k_harmony (cold, with the tokenizer load, and warm),
// the check before each generation while under the limit, and appending to
// the session log (plain and fsync'd). Real text: this repository's sources.
// usage: npx tsx test/bench/context-and-session.ts
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { globby } from 'globby';
import { ContextKeeper } from '../../src/agent/context.js';
import { LogWriter } from '../../src/agent/session-log.js';
import type { ChatMessage } from '../../src/model/backend.js';
import { defaultTools } from '../../tools/default-tools.js';
import { ToolRegistry } from '../../tools/registry.js';
import { ScriptedBackend } from '../fixtures/scripted-backend.js';

const root = path.resolve(import.meta.dirname, '../..');
const files = await globby(['src/**/*.ts', 'tools/**/*.ts'], { cwd: root });
const history: ChatMessage[] = [{ role: 'user', content: 'Find why the parser test fails and fix it.' }];
for (const [i, file] of files.entries()) {
  const call = { id: `call_${i}`, name: 'read_file', arguments: JSON.stringify({ path: file }) };
  history.push({ role: 'assistant', content: '', reasoning: `I should read ${file}.`, toolCalls: [call] });
  history.push({
    role: 'tool',
    toolCallId: call.id,
    name: call.name,
    content: readFileSync(path.join(root, file), 'utf8'),
  });
}
const chars = history.reduce((sum, m) => sum + JSON.stringify(m).length, 0);

const keeper = (contextSize: number) =>
  new ContextKeeper({
    backend: new ScriptedBackend([]),
    instructions: readFileSync(path.join(root, 'prompts/system.md'), 'utf8'),
    emit: () => {},
    contextSize,
  });

const time = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  const value = await fn();
  return { ms: Math.round((performance.now() - start) * 10) / 10, value };
};

const tools = { tools: new ToolRegistry(defaultTools()).specs() };
const big = keeper(1_000_000);
const cold = await time(() => big.measure(tools, history));
const warm = await time(() => big.measure(tools, history));
const grown = [...history, { role: 'user', content: 'one more message' } as ChatMessage];
const incremental = await time(() => big.measure(tools, grown));
// Under the limit the check before a generation counts nothing: a byte bound is enough.
const fresh = keeper(1_000_000);
const underLimit = await time(() => fresh.fit(tools, history, 0, new AbortController().signal));

const dir = mkdtempSync(path.join(os.tmpdir(), 'gptoss-bench-'));
const log = LogWriter.open(path.join(dir, 'log.jsonl'));
const record = {
  type: 'event',
  at: new Date().toISOString(),
  event: { type: 'tool.call', id: 'c', name: 'read_file' },
};
const plain = await time(async () => {
  for (let i = 0; i < 1000; i++) log.append(record);
});
const durable = await time(async () => {
  for (let i = 0; i < 100; i++) log.append(record, true);
});
log.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    messages: history.length,
    chars,
    tokens: cold.value,
    countColdMs: cold.ms,
    countWarmMs: warm.ms,
    countOneMoreMessageMs: incremental.ms,
    fitUnderLimitMs: underLimit.ms,
    appendUsPerRecord: Math.round((plain.ms / 1000) * 1000),
    appendDurableUsPerRecord: Math.round((durable.ms / 100) * 1000),
  }),
);
