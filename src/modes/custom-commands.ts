// Reads the custom slash commands: `.gptoss-agent/commands/*.md` in the
// repository and `commands/*.md` in the user's config directory.
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { mergeCommands, parseCommandFile, type CustomCommand } from './custom-command-text.js';

/** Files read per directory, and bytes per file: a repository decides how many there are. */
const MAX_FILES = 200;
const MAX_BYTES = 64 * 1024;

export async function loadCustomCommands(options: {
  root: string;
  configDir: string;
  builtIn: readonly string[];
}): Promise<{ commands: CustomCommand[]; notices: string[] }> {
  const [project, user] = await Promise.all([
    readCommandDir(path.join(options.root, '.gptoss-agent', 'commands'), 'project', options.root),
    readCommandDir(path.join(options.configDir, 'commands'), 'user'),
  ]);
  const merged = mergeCommands(options.builtIn, project.commands, user.commands);
  return { commands: merged.commands, notices: [...project.notices, ...user.notices, ...merged.notices] };
}

/**
 * A repository's command files are read only from inside it: a linked directory or file could
 * otherwise turn a file of the user's (a key, a token) into a prompt sent to the model.
 */
async function readCommandDir(
  dir: string,
  scope: CustomCommand['scope'],
  root?: string,
): Promise<{ commands: CustomCommand[]; notices: string[] }> {
  let names: string[];
  try {
    if (root !== undefined) {
      const [realDir, realRoot] = await Promise.all([realpath(dir), realpath(root)]);
      if (!realDir.startsWith(realRoot + path.sep)) {
        return { commands: [], notices: [`${dir} is not used: it leads outside the repository.`] };
      }
    }
    names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.md')).sort();
  } catch {
    return { commands: [], notices: [] };
  }
  const commands: CustomCommand[] = [];
  const notices: string[] = [];
  for (const name of names.slice(0, MAX_FILES)) {
    const file = path.join(dir, name);
    try {
      // The user's own directory may link to their files; a repository's may not.
      const info = root === undefined ? await stat(file) : await lstat(file);
      if (info.isSymbolicLink()) {
        notices.push(`${file} is not used: it is a link, and a repository's command files must be plain files.`);
        continue;
      }
      if (!info.isFile()) continue;
      if (info.size > MAX_BYTES) {
        notices.push(`${file} is not used: a command file may hold at most ${MAX_BYTES / 1024} KB.`);
        continue;
      }
      const command = parseCommandFile(name, await readFile(file, 'utf8'), scope, file);
      if (command) commands.push(command);
      else notices.push(`${file} is not used: its name has no letters to make a command of.`);
    } catch (error) {
      notices.push(`${file} could not be read: ${(error as Error).message}`);
    }
  }
  return { commands, notices };
}
