// How the input copes with a large paste, in a real terminal (tmux): the time
// from a bracketed paste of SIZE megabytes of source code until its last line
// is on screen, then the time from one more key until it shows (each key
// redraws the input with the whole text in it). Prints each run and medians.
//
//   npm run build && npx tsx test/bench/input-paste.ts [megabytes=2] [runs=3]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeTempRepo } from '../fixtures/temp-repo.js';
import { cliPath } from '../fixtures/cli.js';
import { PROMPT_PLACEHOLDER } from '../../src/ui/components/PromptInput.js';

const megabytes = Number(process.argv[2] ?? 2);
const runs = Number(process.argv[3] ?? 3);
const socket = `gptoss-bench-${process.pid}`;
const tmux = (...args: string[]) =>
  spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
  });

const repo = makeTempRepo({ 'README.md': '# bench\n' });
const home = makeTempRepo({}, { git: false });
const line = '  const total = items.reduce((sum, item) => sum + item.price * item.count, 0); // keep\n';
const paste = `${line.repeat(Math.ceil((megabytes * 1024 * 1024) / line.length))}END-OF-PASTE`;
const pasteFile = path.join(home.root, 'paste.txt');
writeFileSync(pasteFile, paste);
// Nothing listens on port 9: the input works while the model is not reached.
const command = [`HOME=${home.root}`, process.execPath, cliPath, '--endpoint', 'http://127.0.0.1:9/v1'].join(' ');

async function until(session: string, text: string, started: bigint, limitMs = 120_000): Promise<number> {
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-t', session).stdout;
    if (screen.includes(text)) return Number(process.hrtime.bigint() - started) / 1e6;
    if (Number(process.hrtime.bigint() - started) / 1e6 > limitMs) throw new Error(`no "${text}" on:\n${screen}`);
    await sleep(10);
  }
}

const pastes: number[] = [];
const keys: number[] = [];
tmux('new-session', '-d', '-s', 'keep', 'sleep 3600');
try {
  for (let run = 0; run < runs; run++) {
    const session = `run${run}`;
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', repo.root, `env ${command}; sleep 5`);
    await until(session, PROMPT_PLACEHOLDER.slice(0, 20), process.hrtime.bigint());
    tmux('load-buffer', '-b', 'big', pasteFile);
    const pasted = process.hrtime.bigint();
    tmux('paste-buffer', '-p', '-d', '-b', 'big', '-t', session);
    pastes.push(await until(session, 'END-OF-PASTE', pasted));
    let typed = 'END-OF-PASTE';
    const times: number[] = [];
    for (const key of 'abcde') {
      const pressed = process.hrtime.bigint();
      tmux('send-keys', '-t', session, '-l', key);
      typed += key;
      times.push(await until(session, typed, pressed));
    }
    keys.push(median(times));
    console.log(`run ${run + 1}: paste ${pastes.at(-1)!.toFixed(0)} ms · a key ${keys.at(-1)!.toFixed(0)} ms`);
    tmux('kill-session', '-t', session);
  }
} finally {
  tmux('kill-server');
  repo.remove();
  home.remove();
}
console.log(
  `${megabytes} MB paste: median ${median(pastes).toFixed(0)} ms · a key after it: median ${median(keys).toFixed(0)} ms (${runs} runs)`,
);

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}
