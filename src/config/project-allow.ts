// Saves an "always allow commands starting with …" answer in the project
// config, so later sessions in this repository keep it. The file is
// rewritten atomically (temporary file, then rename) and only when it held
// valid settings: a broken file is never overwritten.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from './config.js';
import { projectConfigPath } from './paths.js';

export async function saveAllowedCommand(root: string, prefix: string): Promise<void> {
  const file = projectConfigPath(root);
  const wanted = prefix.trim().split(/\s+/).join(' ');
  if (wanted === '') throw new ConfigError('An empty command prefix cannot be saved.');
  const settings = await readSettings(file);
  const allow = settings.allow ?? [];
  if (!Array.isArray(allow) || !allow.every((item) => typeof item === 'string')) {
    throw new ConfigError(`${file}: "allow" must be a list of strings; fix it, then allow the command again.`);
  }
  if (allow.includes(wanted)) return;
  const updated = { ...settings, allow: [...allow, wanted] };

  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(updated, null, 2)}\n`, { flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw new ConfigError(`Cannot write ${file}: ${(error as Error).message}`);
  }
}

async function readSettings(file: string): Promise<Record<string, unknown> & { allow?: unknown }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${file} is not valid JSON (${(error as Error).message}); fix it, then allow the command again.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${file} must hold a JSON object; fix it, then allow the command again.`);
  }
  return parsed as Record<string, unknown>;
}
