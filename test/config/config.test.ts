import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { makeTempRepo, type TempRepo } from '../fixtures/temp-repo.js';

const dirs: TempRepo[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});

function setUp(user: object | string | undefined, project: object | string | undefined) {
  const home = makeTempRepo({}, { git: false });
  const repo = makeTempRepo({ 'a.txt': 'a' });
  dirs.push(home, repo);
  const write = (file: string, content: object | string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  };
  if (user !== undefined) write(path.join(home.root, '.config/gptoss-agent/config.json'), user);
  if (project !== undefined) write(path.join(repo.root, '.gptoss-agent/config.json'), project);
  return { env: { HOME: home.root }, root: repo.root };
}

describe('configuration', () => {
  it('takes a flag over the project config over the user config over the default', async () => {
    const { env, root } = setUp(
      { approval: 'auto-edit', reasoning: 'high', endpoint: 'http://user', testCommand: 'make test' },
      { approval: 'full-auto', endpoint: 'http://project' },
    );
    // Trusted: a project's endpoint applies only then (project-trust.test.ts).
    const { config, sources } = await loadConfig({
      root,
      env,
      flags: { approval: 'suggest' },
      accept: { current: true },
    });
    expect(config).toEqual({
      approval: 'suggest',
      reasoning: 'high',
      endpoint: 'http://project',
      testCommand: 'make test',
    });
    expect(sources.approval).toBe('flag');
    expect(sources.endpoint).toBe(path.join(root, '.gptoss-agent/config.json'));
    expect(sources.reasoning).toBe(path.join(env.HOME, '.config/gptoss-agent/config.json'));
  });

  it('takes the context settings with the same precedence', async () => {
    const { env, root } = setUp({ contextSize: 32768, compactAt: 70 }, { compactAt: 90 });
    const { config, sources } = await loadConfig({ root, env });
    expect(config).toEqual({ contextSize: 32768, compactAt: 90 });
    expect(sources.compactAt).toBe(path.join(root, '.gptoss-agent/config.json'));
  });

  it.each([5, 101, 0.8, '80'])('rejects compactAt %j with what it must be', async (compactAt) => {
    const { env, root } = setUp({ compactAt }, undefined);
    await expect(loadConfig({ root, env })).rejects.toThrow(/"compactAt" must be a whole number from 10 to 100/);
  });

  it('takes generationTries from 1 to 10 and rejects other values', async () => {
    const ok = setUp({ generationTries: 10 }, undefined);
    expect((await loadConfig({ root: ok.root, env: ok.env })).config).toEqual({ generationTries: 10 });
    for (const generationTries of [0, 11, 2.5, '3']) {
      const { env, root } = setUp({ generationTries }, undefined);
      await expect(loadConfig({ root, env })).rejects.toThrow(/"generationTries" must be a whole number from 1 to 10/);
    }
  });

  it('takes primeCache from the user config only, and only auto, on or off', async () => {
    const { env, root } = setUp({ primeCache: 'off' }, { primeCache: 'on' });
    const { config, warnings } = await loadConfig({ root, env, accept: { current: true } });
    // A repository must not send requests to the user's server that the user did not ask for.
    expect(config).toEqual({ primeCache: 'off' });
    expect(warnings).toEqual([expect.stringMatching(/"primeCache" is ignored in a project config/)]);
    for (const primeCache of ['always', true, 1]) {
      const bad = setUp({ primeCache }, undefined);
      await expect(loadConfig({ root: bad.root, env: bad.env })).rejects.toThrow(/"primeCache" must be/);
    }
  });

  it('works with no config files at all', async () => {
    const { env, root } = setUp(undefined, undefined);
    expect((await loadConfig({ root, env })).config).toEqual({});
  });

  it('honours XDG_CONFIG_HOME', async () => {
    const { env, root } = setUp(undefined, undefined);
    const xdg = path.join(env.HOME, 'xdg');
    mkdirSync(path.join(xdg, 'gptoss-agent'), { recursive: true });
    writeFileSync(path.join(xdg, 'gptoss-agent/config.json'), '{"reasoning":"low"}');
    expect((await loadConfig({ root, env: { ...env, XDG_CONFIG_HOME: xdg } })).config).toEqual({ reasoning: 'low' });
  });

  it('never lets a repository widen what the sandbox shows', async () => {
    const { env, root } = setUp({ sandboxReadOnly: ['/opt/tools'] }, { sandboxReadOnly: ['/root/.ssh'] });
    const { config, warnings } = await loadConfig({ root, env });
    expect(config.sandboxReadOnly).toEqual(['/opt/tools']);
    expect(warnings[0]).toMatch(/"sandboxReadOnly" is ignored in a project config/);
  });

  it('takes the sandbox limits from the user only, and checks them', async () => {
    const { env, root } = setUp(
      { sandboxMemoryMB: 2048, sandboxProcesses: 512 },
      { sandboxMemoryMB: 1_000_000, sandboxProcesses: 1_000_000 },
    );
    const { config, warnings } = await loadConfig({ root, env });
    expect(config).toMatchObject({ sandboxMemoryMB: 2048, sandboxProcesses: 512 });
    expect(warnings).toEqual([
      expect.stringMatching(/"sandboxMemoryMB" is ignored in a project config/),
      expect.stringMatching(/"sandboxProcesses" is ignored in a project config/),
    ]);
    const bad = setUp({ sandboxMemoryMB: 10 }, undefined);
    await expect(loadConfig({ root: bad.root, env: bad.env })).rejects.toThrow(/sandboxMemoryMB.*at least 64/);
  });

  it('never takes an API key from a repository', async () => {
    const { env, root } = setUp(undefined, { apiKey: 'stolen?' });
    const { config, warnings } = await loadConfig({ root, env });
    expect(config.apiKey).toBeUndefined();
    expect(warnings[0]).toMatch(/"apiKey" is ignored in a project config/);
  });

  it('warns about unknown settings and names the file', async () => {
    const { env, root } = setUp({ aproval: 'suggest' }, undefined);
    const { warnings } = await loadConfig({ root, env });
    expect(warnings[0]).toMatch(/config\.json: unknown setting "aproval" ignored/);
  });

  it('rejects a wrong value with the file, the key and what it must be', async () => {
    const { env, root } = setUp({ approval: 'yolo' }, undefined);
    await expect(loadConfig({ root, env })).rejects.toThrow(ConfigError);
    await expect(loadConfig({ root, env })).rejects.toThrow(/"approval" must be one of suggest, auto-edit, full-auto/);
  });

  it('takes the tool surface from the project, a flag over it, and rejects an unknown one', async () => {
    const { env, root } = setUp(undefined, { toolSurface: 'functions' });
    expect((await loadConfig({ root, env })).config.toolSurface).toBe('functions');
    expect((await loadConfig({ root, env, flags: { toolSurface: 'native' } })).config.toolSurface).toBe('native');
    const bad = setUp({ toolSurface: 'xml' }, undefined);
    await expect(loadConfig({ root: bad.root, env: bad.env })).rejects.toThrow(
      /"toolSurface" must be one of native, functions/,
    );
  });

  it('rejects a file that is not JSON', async () => {
    const { env, root } = setUp(undefined, '{ nope');
    await expect(loadConfig({ root, env })).rejects.toThrow(/is not valid JSON/);
  });
});
