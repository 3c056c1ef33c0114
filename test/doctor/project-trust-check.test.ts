// doctor's line about the repository's own config: none, nothing to trust,
// trusted, or not trusted with what it holds back.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { checkProjectTrust } from '../../src/doctor/project-trust-check.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const dirs: TempRepo[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

async function check(project: object | undefined, accept = false) {
  const home = makeTempRepo({}, { git: false });
  const repo = makeTempRepo({ 'a.txt': 'a' });
  dirs.push(home, repo);
  if (project) {
    mkdirSync(path.join(repo.root, '.gptoss-agent'));
    writeFileSync(path.join(repo.root, '.gptoss-agent/config.json'), JSON.stringify(project));
  }
  const env = { HOME: home.root };
  if (accept) await loadConfig({ root: repo.root, env, accept: { current: true } });
  return checkProjectTrust((await loadConfig({ root: repo.root, env })).project);
}

it('says when there is no project config', async () => {
  expect(await check(undefined)).toMatchObject({ status: 'info', detail: 'none in this repository' });
});

it('passes a config with nothing that needs trust', async () => {
  expect((await check({ reasoning: 'high' })).detail).toMatch(/nothing in it needs trust/);
});

it('warns about an untrusted config, with what it holds back and how to trust it', async () => {
  const result = await check({ approval: 'full-auto', endpoint: 'http://127.0.0.1:9/v1' });
  expect(result.status).toBe('warn');
  expect(result.detail).toMatch(/is not trusted; ignored: approval: full-auto, endpoint: http:\/\/127\.0\.0\.1:9\/v1/);
  expect(result.fix).toContain('--trust-project');
});

it('shows a trusted config as trusted', async () => {
  const result = await check({ allow: ['npm test'] }, true);
  expect(result).toMatchObject({ status: 'ok' });
  expect(result.detail).toMatch(/is trusted: allow: npm test/);
});
