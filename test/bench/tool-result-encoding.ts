// What writing tool results into the prompt as JSON strings (node-llama-cpp's
// default) would cost against the plain text the tool returned (what the
// embedded backend sends): o200k tokens of real tool outputs on this
// repository, from the built binary's `tool` command.
// usage: npm run build && npx tsx test/bench/tool-result-encoding.ts
import { execFileSync } from 'node:child_process';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { cliPath } from '../fixtures/cli.js';

const calls: [string, string, object][] = [
  ['read_file src/agent/loop.ts', 'read_file', { path: 'src/agent/loop.ts' }],
  ['read_file README.md', 'read_file', { path: 'README.md' }],
  ['grep signal', 'grep', { pattern: 'signal' }],
  ['list_files', 'list_files', {}],
];
const rows = calls.map(([label, tool, args]) => {
  const output = execFileSync(process.execPath, [cliPath, 'tool', tool, JSON.stringify(args)], { encoding: 'utf8' });
  const plain = encode(output).length;
  const json = encode(JSON.stringify(output)).length;
  return { call: label, plain, json, 'json / plain': Number((json / plain).toFixed(3)) };
});
const plain = rows.reduce((sum, row) => sum + row.plain, 0);
const json = rows.reduce((sum, row) => sum + row.json, 0);
rows.push({ call: 'all', plain, json, 'json / plain': Number((json / plain).toFixed(3)) });
console.table(rows);
