// Wall time of a whole `exec "Say hi"` run of the built binary against a
// loopback server that answers at once: process start, config, session log
// (opened, written, fsync'd, closed), one request. Median of 15 runs.
// usage: npm run build && npx tsx test/bench/exec-startup.ts [path/to/cli.js]
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startChatServer } from '../fixtures/chat-server.js';
import { cliPath } from '../fixtures/cli.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const cli = process.argv[2] ?? cliPath;
const server = await startChatServer(() => ({ step: { answer: 'Hi!' } }));
const repo = makeTempRepo({ 'a.txt': 'a\n' });
// Sessions go to a throw-away state directory, not the user's.
const state = mkdtempSync(path.join(os.tmpdir(), 'gptoss-bench-state-'));
try {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const start = performance.now();
    await promisify(execFile)(
      process.execPath,
      [cli, 'exec', '--endpoint', server.url, '-m', 'gpt-oss-20b', 'Say hi'],
      {
        cwd: repo.root,
      },
    );
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ runs: times.length, medianMs: Math.round(times[7]!), minMs: Math.round(times[0]!) }));
} finally {
  repo.remove();
  rmSync(state, { recursive: true, force: true });
  await server.close();
}
