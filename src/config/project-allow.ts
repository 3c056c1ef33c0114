// Saves an "always allow commands starting with …" answer in the project
// config, so later sessions in this repository keep it. The file is
// rewritten atomically, and only when it held valid settings: a broken file
// is never overwritten. A config the user trusted (or none at all) stays
// trusted after this write, so the user is not asked about their own rule;
// one they had not trusted stays untrusted, with the rule in it.
import path from 'node:path';
import { RedirectedWriteError } from '../../tools/workspace/anchored-dir.js';
import { writeFileInsideAtomically } from './atomic-write.js';
import { ConfigError, readConfigBytes } from './config.js';
import { projectConfigPath } from './paths.js';
import { contentHash, holdsGatedSettings, isTrusted, recordTrust } from './project-trust.js';

export async function saveAllowedCommand(root: string, prefix: string, stateDir: string): Promise<void> {
  const file = projectConfigPath(root);
  const wanted = prefix.trim().split(/\s+/).join(' ');
  if (wanted === '') throw new ConfigError('An empty command prefix cannot be saved.');
  const read = await readConfigBytes(file, 'fix it, then allow the command again.');
  const settings = read?.object ?? {};
  const allow = settings.allow ?? [];
  if (!Array.isArray(allow) || !allow.every((item) => typeof item === 'string')) {
    throw new ConfigError(`${file}: "allow" must be a list of strings; fix it, then allow the command again.`);
  }
  if (allow.includes(wanted)) return;
  // Judged on the bytes just read: a file the repository changed since it was trusted is not.
  const trusted = read === undefined || !holdsGatedSettings(settings) || (await isTrusted(stateDir, root, read.hash));
  const text = `${JSON.stringify({ ...settings, allow: [...allow, wanted] }, null, 2)}\n`;

  try {
    await writeFileInsideAtomically(root, path.relative(root, file), text);
  } catch (error) {
    if (error instanceof RedirectedWriteError) {
      throw new ConfigError(
        `Cannot write ${file}: .gptoss-agent in this repository is a symbolic link or not a directory, so the ` +
          'rule was not saved (it would land outside the repository). Make .gptoss-agent a real directory to save project rules.',
      );
    }
    throw new ConfigError(`Cannot write ${file}: ${(error as Error).message}`);
  }
  if (!trusted) return;
  try {
    await recordTrust(stateDir, root, contentHash(Buffer.from(text)));
  } catch (error) {
    throw new ConfigError(
      `Saved the rule in ${path.relative(root, file)}, but could not record that you trust it: ${(error as Error).message}`,
    );
  }
}
