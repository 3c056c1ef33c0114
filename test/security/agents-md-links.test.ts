// AGENTS.md goes into every prompt, unasked. A repository whose AGENTS.md is a
// symbolic link to a file outside it (a key, the user's config with its API key)
// must not get that file into the prompt, where the model reads it and the endpoint
// receives it: read_file refuses the same link. A FIFO under the name must not hang
// the start. A link that stays inside the repository keeps working.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildInstructions } from '../../src/agent/instructions.js';
import { Workspace } from '../../tools/workspace/workspace.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const SECRET = 'HOST-SECRET-7f3a';

describe('AGENTS.md that leads outside the repository', () => {
  let repo: TempRepo;
  let outside: string;
  let secretFile: string;

  beforeEach(() => {
    repo = makeTempRepo({ 'src/a.ts': 'export {};\n', 'docs/agents.md': 'Use tabs.\n' });
    outside = mkdtempSync(path.join(os.tmpdir(), 'gptoss-outside-'));
    secretFile = path.join(outside, 'id_rsa');
    writeFileSync(secretFile, `${SECRET}\n`);
  });

  afterEach(() => {
    repo.remove();
    rmSync(outside, { recursive: true, force: true });
  });

  it('does not put a linked host file into the instructions', async () => {
    symlinkSync(secretFile, path.join(repo.root, 'AGENTS.md'));
    const text = await buildInstructions(await Workspace.open(repo.root));
    expect(text).not.toContain(SECRET);
  });

  it('does not follow a link in a nested AGENTS.md', async () => {
    symlinkSync(secretFile, path.join(repo.root, 'src', 'AGENTS.md'));
    const text = await buildInstructions(await Workspace.open(path.join(repo.root, 'src')));
    expect(text).not.toContain(SECRET);
  });

  it('does not hang on a FIFO named AGENTS.md', async () => {
    execFileSync('mkfifo', [path.join(repo.root, 'AGENTS.md')]);
    const text = await buildInstructions(await Workspace.open(repo.root));
    expect(text).not.toContain('Project instructions');
  });

  it('still reads a link to a file inside the repository', async () => {
    symlinkSync('docs/agents.md', path.join(repo.root, 'AGENTS.md'));
    const text = await buildInstructions(await Workspace.open(repo.root));
    expect(text).toContain('Use tabs.');
  });
});
