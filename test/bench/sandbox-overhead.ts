// How much time the sandbox adds to a command: many short commands run
// through the Sandbox service directly (--no-sandbox) and inside bubblewrap,
// interleaved, in a real temporary git repository; prints the median and
// 90th percentile of each and the median overhead per command. Where the
// agent can make a cgroup (as root), bubblewrap runs both with one per command
// and without, and the last column is what the cgroup adds.
// usage: npx tsx test/bench/sandbox-overhead.ts [runs per command, default 200]
import { Sandbox } from '../../tools/sandbox/sandbox.js';
import { makeTempRepo } from '../fixtures/temp-repo.js';

const runs = Number(process.argv[2] ?? 200);
const commands: { label: string; argv?: string[]; command?: string }[] = [
  { label: 'true (no shell)', argv: ['true'] },
  { label: 'bash -c "ls"', command: 'ls' },
  { label: 'bash -c "git status"', command: 'git status --short' },
];

const repo = makeTempRepo({ 'a.txt': 'a\n', 'src/b.ts': 'export const b = 1;\n' });
const direct = new Sandbox({ enabled: false, env: process.env });
const sandboxed = new Sandbox({ enabled: true, env: process.env });
const withoutCgroup =
  process.getuid?.() === 0 ? new Sandbox({ enabled: true, env: process.env, cgroups: false }) : undefined;
if (!(await sandboxed.state()).sandboxed) {
  console.error('bubblewrap cannot run here:', await sandboxed.state());
  process.exit(1);
}

const time = async (sandbox: Sandbox, spec: (typeof commands)[number]): Promise<number> => {
  const started = performance.now();
  const result = await sandbox.run({
    root: repo.root,
    cwd: repo.root,
    ...(spec.argv ? { argv: spec.argv } : { command: spec.command! }),
    timeoutMs: 10_000,
    signal: new AbortController().signal,
  });
  if (result.exitCode !== 0) throw new Error(`${spec.label} failed: ${result.stdout}${result.stderr}`);
  return performance.now() - started;
};

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

try {
  console.log(`${runs} runs per command and mode, interleaved (after 10 warm-up runs each)`);
  for (const spec of commands) {
    for (let i = 0; i < 10; i++) {
      await time(direct, spec);
      await time(sandboxed, spec);
      if (withoutCgroup) await time(withoutCgroup, spec);
    }
    const plain: number[] = [];
    const boxed: number[] = [];
    const boxedAlone: number[] = [];
    for (let i = 0; i < runs; i++) {
      plain.push(await time(direct, spec));
      boxed.push(await time(sandboxed, spec));
      if (withoutCgroup) boxedAlone.push(await time(withoutCgroup, spec));
    }
    const overhead = plain.map((value, i) => boxed[i]! - value);
    const cgroupCost = boxedAlone.map((value, i) => boxed[i]! - value);
    console.log(
      `${spec.label.padEnd(24)} direct median ${ms(quantile(plain, 0.5))} (p90 ${ms(quantile(plain, 0.9))}) · ` +
        `sandboxed median ${ms(quantile(boxed, 0.5))} (p90 ${ms(quantile(boxed, 0.9))}) · ` +
        `overhead median ${ms(quantile(overhead, 0.5))}` +
        (withoutCgroup
          ? ` · without a cgroup median ${ms(quantile(boxedAlone, 0.5))} · cgroup adds median ${ms(quantile(cgroupCost, 0.5))}`
          : ''),
    );
  }
} finally {
  repo.remove();
}
