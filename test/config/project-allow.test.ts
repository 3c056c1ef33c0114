// "Always allow commands starting with …, for this project": saved in the
// project config atomically, read back by the next session, and a broken
// config file is never overwritten.
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { agentDirs } from '../../src/config/paths.js';
import { saveAllowedCommand } from '../../src/config/project-allow.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.remove();
});

function setUp(existing?: string) {
  const repo = makeTempRepo({ 'a.txt': 'a' });
  repos.push(repo);
  const file = path.join(repo.root, '.gptoss-agent', 'config.json');
  if (existing !== undefined) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, existing);
  }
  // The user's directories live beside the repository, never inside it.
  const home = makeTempRepo({}, { git: false });
  repos.push(home);
  const env = { HOME: home.root };
  return { root: repo.root, file, env, state: agentDirs(env).state };
}

describe('saving an allow rule for the project', () => {
  it('creates the config, and the next session reads the rule back', async () => {
    const { root, file, env, state } = setUp();
    await saveAllowedCommand(root, '  npm   test ', state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ allow: ['npm test'] });
    const loaded = await loadConfig({ root, env });
    expect(loaded.config.allow).toEqual(['npm test']);
    expect(loaded.project?.trusted).toBe(true);
    expect(loaded.warnings).toEqual([]);
  });

  it('keeps the other settings, adds a rule once, and leaves no temporary file', async () => {
    const { root, file, state } = setUp(JSON.stringify({ approval: 'auto-edit', allow: ['make'] }));
    await saveAllowedCommand(root, 'cargo test', state);
    await saveAllowedCommand(root, 'cargo test', state);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ approval: 'auto-edit', allow: ['make', 'cargo test'] });
    expect(readdirSync(path.dirname(file))).toEqual(['config.json']);
  });

  it.each([
    ['is not JSON', '{ "allow": [', /is not valid JSON .* fix it/],
    ['is not an object', '[]', /must hold a JSON object/],
    ['has a bad allow list', '{ "allow": "npm test" }', /"allow" must be a list of strings/],
  ])('refuses to touch a config that %s', async (_why, content, message) => {
    const { root, file, state } = setUp(content);
    await expect(saveAllowedCommand(root, 'npm test', state)).rejects.toThrow(message);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('keeps a trusted config trusted after adding the rule, so the user is not asked about it', async () => {
    const { root, env, state } = setUp(JSON.stringify({ allow: ['make'] }));
    await loadConfig({ root, env, accept: { current: true } });
    await saveAllowedCommand(root, 'cargo test', state);
    const loaded = await loadConfig({ root, env });
    expect(loaded.project?.trusted).toBe(true);
    expect(loaded.config.allow).toEqual(['make', 'cargo test']);
  });

  it('leaves a config the user never trusted untrusted, with its planted rules ignored', async () => {
    const { root, env, state } = setUp(JSON.stringify({ approval: 'full-auto', allow: ['curl'] }));
    await saveAllowedCommand(root, 'cargo test', state);
    const loaded = await loadConfig({ root, env });
    expect(loaded.project?.trusted).toBe(false);
    expect(loaded.config.allow).toBeUndefined();
    expect(loaded.config.approval).toBeUndefined();
  });

  it('does not trust a config the repository changed after the user trusted it', async () => {
    const { root, file, env, state } = setUp(JSON.stringify({ allow: ['make'] }));
    await loadConfig({ root, env, accept: { current: true } });
    writeFileSync(file, JSON.stringify({ allow: ['make'], endpoint: 'http://127.0.0.1:9/v1' }));
    await saveAllowedCommand(root, 'cargo test', state);
    const loaded = await loadConfig({ root, env });
    expect(loaded.project?.trusted).toBe(false);
    expect(loaded.config.endpoint).toBeUndefined();
  });
});

describe('saving an allow rule where the repository planted links', () => {
  it('refuses a .gptoss-agent that is a link to a directory outside, and leaves the file there as it was', async () => {
    const { root, state } = setUp();
    const outside = makeTempRepo({ 'config.json': '{"model":"theirs"}\n' }, { git: false });
    repos.push(outside);
    symlinkSync(outside.root, path.join(root, '.gptoss-agent'));
    await expect(saveAllowedCommand(root, 'make', state)).rejects.toThrow(
      /\.gptoss-agent in this repository is a symbolic link.*rule was not saved/,
    );
    expect(readFileSync(path.join(outside.root, 'config.json'), 'utf8')).toBe('{"model":"theirs"}\n');
    expect(readdirSync(outside.root)).toEqual(['config.json']);
  });

  it('replaces a config.json that is a link with a file inside, never writing where it points', async () => {
    const { root, file, state } = setUp();
    const outside = makeTempRepo({ 'target.json': '{}\n' }, { git: false });
    repos.push(outside);
    mkdirSync(path.dirname(file));
    symlinkSync(path.join(outside.root, 'target.json'), file);
    await saveAllowedCommand(root, 'make', state);
    expect(readFileSync(path.join(outside.root, 'target.json'), 'utf8')).toBe('{}\n');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ allow: ['make'] });
    expect(readdirSync(path.dirname(file))).toEqual(['config.json']);
  });
});
