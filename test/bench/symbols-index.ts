// The symbol index at the scale of a real repository: the multi-language
// corpus of test/bench/symbol-corpus.ts (about 5,000 source files). Runs the
// built package (npm run build first), each measurement in a new process:
//   cold index    the first lookup, which builds the index: files/s, and the
//                 peak memory of the process (all its threads)
//   lookup        a lookup with the index on disk: the call, and the whole
//                 `gptoss-agent tool symbols` command from spawn to exit
//   after an edit a lookup after one file changed (re-parsed on the way)
// usage: npx tsx test/bench/symbols-index.ts [--runs N]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { symbolCorpus } from './symbol-corpus.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' } } });
const runs = Number(values.runs);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(repoRoot, 'dist/src/cli.js');
if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);

const corpus = symbolCorpus((line) => console.log(line));
const cache = mkdtempSync(path.join(os.tmpdir(), 'gptoss-bench-cache-'));
const env = { ...process.env, XDG_CACHE_HOME: cache };

interface Run {
  ms: number;
  stdout: string;
}

function run(command: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: corpus.root,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stdout}`));
      else resolve({ ms: performance.now() - started, stdout });
    });
  });
}

/** One symbols call in a new process that reports its own peak memory (every thread counts) when it exits. */
const measured = path.join(cache, 'measured-lookup.mjs');
writeFileSync(
  measured,
  `
const { symbolsTool } = await import(${JSON.stringify(path.join(repoRoot, 'dist/tools/symbols.js'))});
const { Workspace } = await import(${JSON.stringify(path.join(repoRoot, 'dist/tools/workspace/workspace.js'))});
const started = performance.now();
const cpu = process.cpuUsage();
const result = await symbolsTool.execute({ name: process.env.SYMBOL }, {
  workspace: await Workspace.open(process.cwd()),
  signal: new AbortController().signal,
  ask: () => Promise.reject(new Error('read-only')),
  cacheDir: process.env.XDG_CACHE_HOME,
});
const used = process.cpuUsage(cpu);
console.log(JSON.stringify({
  ms: performance.now() - started,
  cpuMs: (used.user + used.system) / 1000,
  maxRssKb: process.resourceUsage().maxRSS,
  index: result.data.index,
}));
`,
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  console.log(`\ncorpus: ${corpus.root}; ${os.availableParallelism()} cores\n`);
  const cold = JSON.parse((await run(process.execPath, [measured], { SYMBOL: 'Parser' })).stdout) as {
    ms: number;
    cpuMs: number;
    maxRssKb: number;
    index: { files: number; parsed: number; skipped: Record<string, number> };
  };
  const seconds = cold.ms / 1000;
  const cpuSeconds = cold.cpuMs / 1000;
  const cores = os.availableParallelism();
  console.log(
    `cold index:     ${cold.index.parsed} files in ${seconds.toFixed(1)} s = ${(cold.index.parsed / seconds).toFixed(0)} files/s ` +
      `(target >= 600); left out: ${JSON.stringify(cold.index.skipped)}`,
  );
  // On a shared machine the wall time depends on the load; the CPU time does not, much.
  console.log(
    `                ${cpuSeconds.toFixed(1)} CPU-s = ${(cold.index.parsed / (cpuSeconds / cores)).toFixed(0)} files/s ` +
      `if ${cores} cores were free; load average now ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(`peak memory:    ${(cold.maxRssKb / 1024).toFixed(0)} MB while indexing (target <= 300)`);

  // Each lookup in a new process: the call itself (the process started, the index on disk), and the whole
  // `gptoss-agent tool symbols` command from spawn to exit (node's start and the CLI's imports included).
  const names = ['Parser', 'HashMap', 'Vector', 'read_file', 'NewReader', 'ArrayList', 'cp_parser', 'xmalloc', 'Range'];
  const calls: number[] = [];
  const callCpu: number[] = [];
  const commands: number[] = [];
  for (let i = 0; i < runs; i++) {
    const name = names[i % names.length]!;
    const call = JSON.parse((await run(process.execPath, [measured], { SYMBOL: name })).stdout) as {
      ms: number;
      cpuMs: number;
    };
    calls.push(call.ms);
    callCpu.push(call.cpuMs);
    commands.push((await run(process.execPath, [cli, 'tool', 'symbols', JSON.stringify({ name })])).ms);
  }
  console.log(
    `lookup:         ${median(calls).toFixed(0)} ms median of ${runs}, the call in a new process (target <= 300); ` +
      `${median(callCpu).toFixed(0)} ms of CPU`,
  );
  console.log(
    `lookup command: ${median(commands).toFixed(0)} ms median of ${runs}, \`gptoss-agent tool symbols\` spawn to exit`,
  );

  const edited = path.join(corpus.root, 'typescript/ajv/lib/core.ts');
  const afterEdit: number[] = [];
  for (let i = 0; i < runs; i++) {
    const now = new Date(Date.now() + i * 1000);
    utimesSync(edited, now, now);
    const result = await run(process.execPath, [measured], { SYMBOL: 'Ajv' });
    const { index, ms } = JSON.parse(result.stdout) as { index: { parsed: number }; ms: number };
    if (index.parsed !== 1) throw new Error(`expected one file re-parsed, got ${index.parsed}`);
    afterEdit.push(ms);
  }
  console.log(
    `after an edit:  ${median(afterEdit).toFixed(0)} ms median of ${runs}, the call, one TypeScript file re-parsed`,
  );
  const stored = path.join(cache, 'gptoss-agent', 'symbols');
  const size = readdirSync(stored).reduce((sum, name) => sum + statSync(path.join(stored, name)).size, 0);
  console.log(`index on disk:  ${(size / 1e6).toFixed(1)} MB`);
} finally {
  rmSync(cache, { recursive: true, force: true });
}
