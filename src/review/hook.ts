// `gptoss-agent review --install-hook`: a git pre-commit hook that reviews
// what is about to be committed. A hook we installed earlier is updated in
// place; anyone else's is replaced only after asking, and kept beside the
// new one. A review that could not run (exit 3: no model, a server down)
// does not block the commit; findings at or above --fail-on do.
import { lstat, mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../../tools/files/atomic-write.js';
import { hooksDirectory } from '../../tools/git/commit-hooks.js';

export const HOOK_MARKER = '# installed by: gptoss-agent review --install-hook';
export const BACKUP_SUFFIX = '.before-gptoss-agent';

export interface HookInstallOptions {
  root: string;
  /** How to start this gptoss-agent: [node, cli.js]. */
  command: readonly string[];
  /** Review flags for the hook to pass on, e.g. ["--fail-on", "medium"]. */
  args: readonly string[];
  /** Asks the user a yes/no question; absent when nobody can be asked. */
  confirm?: (question: string) => Promise<boolean>;
}

export type HookOutcome =
  | { kind: 'installed' | 'updated'; path: string; backup?: string }
  | { kind: 'kept'; path: string }
  | { kind: 'refused'; path: string };

export async function installHook(options: HookInstallOptions): Promise<HookOutcome> {
  const hooksDir = await hooksDirectory(options.root);
  const hook = path.join(hooksDir, 'pre-commit');
  const existing = await readFile(hook, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  const script = hookScript(options.command, options.args);
  if (existing === undefined || existing.includes(HOOK_MARKER)) {
    await mkdir(hooksDir, { recursive: true });
    // Through a new temporary file, never a link planted in the hooks directory (the repository may control it).
    await writeFileAtomically(hook, script, { mode: 0o755 });
    return { kind: existing === undefined ? 'installed' : 'updated', path: hook };
  }
  if (!options.confirm) return { kind: 'refused', path: hook };
  const backup = await freeName(`${hook}${BACKUP_SUFFIX}`);
  const replace = await options.confirm(
    `A pre-commit hook already exists at ${hook}. Replace it? The old one will be kept as ${path.basename(backup)}.`,
  );
  if (!replace) return { kind: 'kept', path: hook };
  await rename(hook, backup);
  await writeFileAtomically(hook, script, { mode: 0o755 });
  return { kind: 'installed', path: hook, backup };
}

export function hookScript(command: readonly string[], args: readonly string[]): string {
  const [program, ...rest] = command;
  return `#!/bin/sh
${HOOK_MARKER}
# Reviews the staged changes before each commit. Skip it once with: git commit --no-verify
if [ -f ${quote(rest.at(-1) ?? '')} ]; then
  set -- ${[program ?? 'node', ...rest].map(quote).join(' ')}
else
  set -- gptoss-agent
fi
"$@" review --staged ${args.map(quote).join(' ')}
status=$?
if [ "$status" -eq 3 ]; then
  echo "gptoss-agent: the review could not be completed; committing anyway." >&2
  exit 0
fi
exit "$status"
`;
}

/** A word for sh, single-quoted. */
function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The first of `wanted`, `wanted.2`, … that names nothing, not even a dangling link (rename would replace it). */
async function freeName(wanted: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? wanted : `${wanted}.${n}`;
    const taken = await lstat(candidate).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}
