// "Always allow commands starting with …, for this project": saved in the
// project config atomically, read back by the next session, and a broken
// config file is never overwritten.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
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
  return { root: repo.root, file };
}

describe('saving an allow rule for the project', () => {
  it('creates the config, and the next session reads the rule back', async () => {
    const { root, file } = setUp();
    await saveAllowedCommand(root, '  npm   test ');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ allow: ['npm test'] });
    const loaded = await loadConfig({ root, env: { HOME: root } });
    expect(loaded.config.allow).toEqual(['npm test']);
  });

  it('keeps the other settings, adds a rule once, and leaves no temporary file', async () => {
    const { root, file } = setUp(JSON.stringify({ approval: 'auto-edit', allow: ['make'] }));
    await saveAllowedCommand(root, 'cargo test');
    await saveAllowedCommand(root, 'cargo test');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ approval: 'auto-edit', allow: ['make', 'cargo test'] });
    expect(readdirSync(path.dirname(file))).toEqual(['config.json']);
  });

  it.each([
    ['is not JSON', '{ "allow": [', /is not valid JSON .* fix it/],
    ['is not an object', '[]', /must hold a JSON object/],
    ['has a bad allow list', '{ "allow": "npm test" }', /"allow" must be a list of strings/],
  ])('refuses to touch a config that %s', async (_why, content, message) => {
    const { root, file } = setUp(content);
    await expect(saveAllowedCommand(root, 'npm test')).rejects.toThrow(message);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });
});
