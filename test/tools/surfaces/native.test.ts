// The native surface end to end: scripted gpt-oss calls to its own tools, through the
// real loop, on a real temporary repository, with the real sandbox and approvals.
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalMode, Approver } from '../../../src/agent/approvals.js';
import type { ApprovalRequest } from '../../../src/agent/events.js';
import { Agent } from '../../../src/agent/loop.js';
import type { ChatMessage } from '../../../src/model/backend.js';
import { defaultTools } from '../../../tools/default-tools.js';
import { ToolRegistry } from '../../../tools/registry.js';
import { Sandbox } from '../../../tools/sandbox/sandbox.js';
import { functionsRegistry } from '../../../tools/surfaces/functions.js';
import { nativeRegistry } from '../../../tools/surfaces/native.js';
import { Workspace } from '../../../tools/workspace/workspace.js';
import { sessionHarness, type SessionHarness } from '../../agent/session-harness.js';
import { copyProject } from '../../fixtures/projects.js';
import { ScriptedBackend, type ScriptedCall } from '../../fixtures/scripted-backend.js';
import { makeTempRepo, type TempRepo } from '../../fixtures/temp-repo.js';

const FILES = {
  'README.md': '# demo\n',
  'src/a.ts': 'export const a = 1;\nexport function double(x: number) {\n  return x * 2;\n}\n',
  'src/lib/b.ts': 'import { a } from "../a";\nexport const b = a + 1;\n',
  'src/lib/deep/c.ts': 'export const c = 3;\n',
};

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

interface Run {
  repo: TempRepo;
  backend: ScriptedBackend;
  asked: ApprovalRequest[];
  agent: Agent;
  /** The tool results the model read, in order. */
  results(): string[];
}

async function run(
  calls: ScriptedCall[],
  options: {
    repo?: TempRepo;
    mode?: ApprovalMode;
    approve?: boolean;
    registry?: ToolRegistry;
    harness?: SessionHarness;
  } = {},
): Promise<Run> {
  const repo = options.repo ?? options.harness?.repo ?? makeTempRepo(FILES);
  if (!options.harness) cleanups.push(() => repo.remove());
  // One call per generation, then an answer.
  const backend = new ScriptedBackend([...calls.map((call) => ({ toolCalls: [call] })), { answer: 'done' }]);
  const asked: ApprovalRequest[] = [];
  const approver: Approver = async (request) => {
    asked.push(request);
    return { approved: options.approve ?? true };
  };
  const agent = new Agent({
    backend,
    tools: options.registry ?? nativeRegistry(defaultTools()),
    workspace: options.harness?.workspace ?? (await Workspace.open(repo.root)),
    instructions: 'You are a test.',
    approvalMode: options.mode ?? 'suggest',
    approver,
    emit: () => {},
    toolServices: { sandbox: new Sandbox({ enabled: true, env: process.env }) },
    ...(options.harness ? { onChangesApplied: options.harness.session.hooks().onChangesApplied } : {}),
  });
  await agent.runTurn('go');
  const results = () =>
    (backend.requests.at(-1)?.messages ?? [])
      .filter((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool')
      .map((m) => m.content);
  return { repo, backend, asked, agent, results };
}

describe('the native surface', () => {
  it('offers repo_browser and container in the system message, and the rest as functions', async () => {
    const { backend } = await run([]);
    const request = backend.requests[0]!;
    expect(request.systemTools?.map((ns) => [ns.name, ns.tools.map((tool) => tool.name)])).toEqual([
      ['repo_browser', ['print_tree', 'list_dir', 'search', 'open_file', 'apply_patch']],
      ['container', ['exec']],
    ]);
    expect(request.tools.map((tool) => tool.name)).toEqual(['symbols', 'run_tests', 'git']);
  });

  it('print_tree shows the tree to the depth asked, and a cut directory says how many files it holds', async () => {
    const { results } = await run([
      { name: 'repo_browser.print_tree', arguments: { path: '', depth: 2 } },
      { name: 'repo_browser.print_tree', arguments: {} },
    ]);
    const expected = ['.', '  src/', '    lib/ (2 files)', '    a.ts', '  README.md'].join('\n');
    expect(results()).toEqual([expected, expected]);
  });

  it('list_dir lists one level by default and deeper on request', async () => {
    const { results } = await run([
      { name: 'repo_browser.list_dir', arguments: { path: 'src' } },
      { name: 'repo_browser.list_dir', arguments: { path: 'src', depth: 3 } },
      { name: 'list_directory', arguments: { path: 'src/lib' } },
    ]);
    expect(results()).toEqual(['lib/\na.ts', 'lib/deep/c.ts\nlib/b.ts\na.ts', 'deep/\nb.ts']);
  });

  it('search answers path:line:text, with query or pattern', async () => {
    const { results } = await run([
      { name: 'repo_browser.search', arguments: { path: 'src', query: 'export const' } },
      { name: 'repo_browser.search', arguments: { path: 'src/lib', pattern: 'import' } },
      { name: 'grep', arguments: { pattern: 'double' } },
    ]);
    expect(results()).toEqual([
      'src/a.ts:1:export const a = 1;\nsrc/lib/b.ts:2:export const b = a + 1;\nsrc/lib/deep/c.ts:1:export const c = 3;',
      'src/lib/b.ts:1:import { a } from "../a";',
      'src/a.ts:2:export function double(x: number) {',
    ]);
  });

  it('open_file shows plain text, with every spelling of its arguments', async () => {
    const { results } = await run([
      { name: 'repo_browser.open_file', arguments: { path: 'src/a.ts' } },
      { name: 'repo_browser.open_file', arguments: { path: 'src/a.ts', line_start: 2, line_end: 3 } },
      { name: 'repo_browser.open_file', arguments: { file_path: 'src/a.ts', start_line: 3, end_line: 3 } },
      { name: 'read_file', arguments: { path: 'src/lib/b.ts', start_line: 2 } },
      { name: 'functions.open_file', arguments: { file_path: 'src/a.ts', line_end: 9 } },
    ]);
    expect(results()).toEqual([
      FILES['src/a.ts'].trimEnd(),
      'export function double(x: number) {\n  return x * 2;',
      '  return x * 2;',
      'export const b = a + 1;',
      `${FILES['src/a.ts'].trimEnd()}\n[The file ends at line 4.]`,
    ]);
  });

  it('open_file of a name that lives in a subdirectory says where the file is', async () => {
    const { results } = await run([
      { name: 'repo_browser.open_file', arguments: { path: 'b.ts' } },
      { name: 'repo_browser.open_file', arguments: { path: 'lib/deep/c.ts' } },
    ]);
    expect(results()[0]).toContain('No file b.ts. Did you mean src/lib/b.ts?');
    expect(results()[1]).toContain('No file lib/deep/c.ts: there is no lib. Did you mean src/lib/deep/c.ts?');
  });

  it('tells the model about an unknown tool with the names it was given', async () => {
    const { results } = await run([{ name: 'python', arguments: { code: '1' } }]);
    expect(results()[0]).toBe(
      'There is no tool named "python". The tools are: repo_browser.print_tree, repo_browser.list_dir, ' +
        'repo_browser.search, repo_browser.open_file, repo_browser.apply_patch, container.exec, symbols, run_tests, git.',
    );
  });
});

const PATCH = [
  '*** Begin Patch',
  '*** Update File: src/a.ts',
  '@@',
  '-export const a = 1;',
  '+export const a = 2;',
  '*** End Patch',
].join('\n');

describe('apply_patch on the native surface', () => {
  async function harness(): Promise<SessionHarness> {
    const h = await sessionHarness(FILES);
    cleanups.push(() => h.cleanup());
    return h;
  }

  it.each([
    ['repo_browser.apply_patch', { patch: PATCH }],
    ['apply_patch', { input: PATCH }],
    ['functions.apply_patch', PATCH],
  ])('%s asks, and a denied patch leaves the file as it was', async (name, args) => {
    const h = await harness();
    const { asked, results } = await run([{ name, arguments: args }], { harness: h, approve: false });
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({ kind: 'edit', files: [{ path: 'src/a.ts', change: 'update' }] });
    expect(results()[0]).toMatch(/rejected/);
    expect(readFileSync(path.join(h.repo.root, 'src/a.ts'), 'utf8')).toBe(FILES['src/a.ts']);
  });

  it.each([
    ['repo_browser.apply_patch', { patch: PATCH }],
    ['apply_patch', PATCH],
  ])('%s, approved, writes the file and can be undone', async (name, args) => {
    const h = await harness();
    const { asked } = await run([{ name, arguments: args }], { harness: h, approve: true });
    expect(asked).toHaveLength(1);
    expect(readFileSync(path.join(h.repo.root, 'src/a.ts'), 'utf8')).toMatch(/^export const a = 2;/);
    expect(await h.session.undo()).toMatchObject({ ok: true });
    expect(readFileSync(path.join(h.repo.root, 'src/a.ts'), 'utf8')).toBe(FILES['src/a.ts']);
  });
});

describe('container.exec', () => {
  it('runs bash -lc scripts as the shell tool does: read-only ones without asking, others after asking', async () => {
    const { asked, results, repo } = await run([
      { name: 'container.exec', arguments: { command: ['bash', '-lc', 'cat README.md'] } },
      { name: 'container.exec', arguments: { cmd: ['bash', '-lc', 'echo hi > out.txt'] } },
      { name: 'shell', arguments: { command: 'ls src' } },
    ]);
    expect(asked.map((request) => request.command)).toEqual(['echo hi > out.txt']);
    expect(results()[0]).toMatch(/^Exit code 0 .*\n# demo$/);
    expect(readFileSync(path.join(repo.root, 'out.txt'), 'utf8')).toBe('hi\n');
    expect(results()[2]).toMatch(/\na.ts\nlib$/);
  });

  it('never runs what it was not allowed: a denied script, or an argv word that looks like shell', async () => {
    const { asked, results, repo } = await run(
      [
        { name: 'container.exec', arguments: { command: ['bash', '-lc', 'ls; touch pwned1'] } },
        { name: 'container.exec', arguments: { command: ['ls', '$(touch pwned2)'] } },
        { name: 'container.exec', arguments: { command: ['ls', '; touch pwned3'] } },
        { name: 'container.exec', arguments: { command: ['bash', '-c', 'true', 'x; touch pwned4'] } },
      ],
      { approve: false },
    );
    // The scripts ask and are refused; argv words stay words (quoted), so those commands are plain reads.
    expect(asked.map((request) => request.command)).toEqual(['ls; touch pwned1', "bash -c true 'x; touch pwned4'"]);
    const [first, second, third, fourth] = results();
    expect(first).toMatch(/rejected/);
    expect(second).toMatch(/cannot access '\$\(touch pwned2\)'/);
    expect(third).toMatch(/cannot access '; touch pwned3'/);
    expect(fourth).toMatch(/rejected/);
    for (const n of [1, 2, 3, 4]) expect(existsSync(path.join(repo.root, `pwned${n}`))).toBe(false);
  });

  it("folds the project's test command into run_tests' report", async () => {
    const repo = copyProject('pytest');
    cleanups.push(() => repo.remove());
    const { results, asked } = await run(
      [{ name: 'container.exec', arguments: { command: ['bash', '-lc', 'python3 -m pytest'] } }],
      { repo },
    );
    // run_tests' own command line (its machine-readable reporter), not the bare one the model wrote.
    expect(asked.map((request) => request.command)).toEqual([
      expect.stringMatching(/^python3 -m pytest .*--junitxml=/),
    ]);
    const report = results()[0]!;
    expect(report).toContain('tests/test_calc.py::test_add');
    expect(report).toContain('assert -1 == 5');
    expect(report).toContain('tests/test_broken.py');
    // Then the end of pytest's own output, as the command would have shown it.
    expect(report).toMatch(/\n\nEnd of the output:\n[^]*=+ .*3 failed, 1 passed, 1 skipped, 1 error.* =+$/);
  });
});

describe('the workspace guard holds through every native tool and spelling', () => {
  it('refuses paths outside the repository and through symbolic links, in every spelling', async () => {
    const outside = makeTempRepo({ 'secret.txt': 'top secret\n' }, { git: false });
    cleanups.push(() => outside.remove());
    const repo = makeTempRepo(FILES);
    symlinkSync(outside.root, path.join(repo.root, 'link'));
    const escape = (target: string) =>
      ['*** Begin Patch', `*** Add File: ${target}`, '+pwned', '*** End Patch'].join('\n');
    const { results, asked } = await run(
      [
        { name: 'repo_browser.open_file', arguments: { path: path.join(outside.root, 'secret.txt') } },
        { name: 'repo_browser.open_file', arguments: { file_path: '../../../../../../etc/passwd' } },
        { name: 'read_file', arguments: { path: 'link/secret.txt' } },
        { name: 'repo_browser.print_tree', arguments: { path: '/', depth: 1 } },
        { name: 'repo_browser.list_dir', arguments: { path: 'link' } },
        { name: 'repo_browser.search', arguments: { path: outside.root, query: 'secret' } },
        { name: 'find', arguments: { path: 'link', pattern: 'secret' } },
        { name: 'repo_browser.apply_patch', arguments: { patch: escape(path.join(outside.root, 'new.txt')) } },
        { name: 'apply_patch', arguments: escape('link/new.txt') },
        { name: 'container.exec', arguments: { command: ['cat', 'secret.txt'], workdir: outside.root } },
        { name: 'container.exec', arguments: { command: ['ls'], workdir: '../..' } },
      ],
      { repo, mode: 'full-auto' },
    );
    const all = results();
    expect(all).toHaveLength(11);
    for (const result of all) expect(result).toMatch(/is outside the repository|leads through a symbolic link/);
    for (const result of all) expect(result).not.toContain('top secret');
    for (const result of all) expect(result).not.toMatch(/root:x:0:0/);
    // Every attempt is refused before anything could be asked or run.
    expect(asked).toEqual([]);
    expect(existsSync(path.join(outside.root, 'new.txt'))).toBe(false);
    expect(readFileSync(path.join(outside.root, 'secret.txt'), 'utf8')).toBe('top secret\n');
  });
});

describe('the functions surface', () => {
  it("sends exactly today's request", async () => {
    const a = await run([{ name: 'read_file', arguments: { path: 'README.md' } }], {
      registry: new ToolRegistry(defaultTools()),
    });
    const b = await run([{ name: 'read_file', arguments: { path: 'README.md' } }], {
      registry: functionsRegistry(defaultTools()),
    });
    expect(JSON.stringify(b.backend.requests)).toBe(JSON.stringify(a.backend.requests));
    expect(b.backend.requests[0]).not.toHaveProperty('systemTools');
    expect(b.results()[0]).toContain('1\t# demo');
  });
});
