// Time from launching `gptoss-agent` in a real terminal (tmux) until its
// input prompt is on screen, with the model not yet reached. Prints every run
// and the median.
//
//   npm run build && npx tsx test/bench/tui-startup.ts [runs=15]
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { cliPath } from '../fixtures/cli.js';
import { PROMPT_PLACEHOLDER } from '../../src/ui/components/PromptInput.js';

const runs = Number(process.argv[2] ?? 15);
const socket = `gptoss-bench-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const ready = PROMPT_PLACEHOLDER.slice(0, 20);

const repo = makeTempRepo({ 'README.md': '# bench\n' });
const home = makeTempRepo({}, { git: false });
// Nothing listens on port 9: the prompt must not wait for the model.
const command = [
  `HOME=${home.root}`,
  'NO_COLOR=',
  process.execPath,
  cliPath,
  '--endpoint',
  'http://127.0.0.1:9/v1',
  '--model',
  'gpt-oss-20b',
].join(' ');

const times: number[] = [];
// A session that outlives the runs keeps the tmux server up between them.
tmux('new-session', '-d', '-s', 'keep', 'sleep 3600');
try {
  for (let run = 0; run < runs; run++) {
    const session = `run${run}`;
    const started = process.hrtime.bigint();
    const launch = tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '120',
      '-y',
      '40',
      '-c',
      repo.root,
      `env ${command}; sleep 5`,
    );
    if (launch.status !== 0) throw new Error(`tmux failed: ${launch.stderr}`);
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-t', session).stdout;
      if (screen.includes(ready)) break;
      if (Number(process.hrtime.bigint() - started) / 1e6 > 10_000) throw new Error(`no prompt after 10 s:\n${screen}`);
      await sleep(20);
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    times.push(ms);
    tmux('kill-session', '-t', session);
    console.log(`run ${run + 1}: ${ms.toFixed(0)} ms`);
  }
} finally {
  tmux('kill-server');
  repo.remove();
  home.remove();
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
console.log(
  `median ${median.toFixed(0)} ms · min ${sorted[0]!.toFixed(0)} · max ${sorted.at(-1)!.toFixed(0)} (${runs} runs)`,
);
