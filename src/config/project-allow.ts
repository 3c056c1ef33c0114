// Saves an "always allow commands starting with …" answer in the project
// config, so later sessions in this repository keep it. The file is
// rewritten atomically, and only when it held valid settings: a broken file
// is never overwritten.
import { writeFileAtomically } from './atomic-write.js';
import { ConfigError, readConfigObject } from './config.js';
import { projectConfigPath } from './paths.js';

export async function saveAllowedCommand(root: string, prefix: string): Promise<void> {
  const file = projectConfigPath(root);
  const wanted = prefix.trim().split(/\s+/).join(' ');
  if (wanted === '') throw new ConfigError('An empty command prefix cannot be saved.');
  const settings = (await readConfigObject(file, 'fix it, then allow the command again.')) ?? {};
  const allow = settings.allow ?? [];
  if (!Array.isArray(allow) || !allow.every((item) => typeof item === 'string')) {
    throw new ConfigError(`${file}: "allow" must be a list of strings; fix it, then allow the command again.`);
  }
  if (allow.includes(wanted)) return;
  const updated = { ...settings, allow: [...allow, wanted] };

  try {
    await writeFileAtomically(file, `${JSON.stringify(updated, null, 2)}\n`);
  } catch (error) {
    throw new ConfigError(`Cannot write ${file}: ${(error as Error).message}`);
  }
}
