// Custom slash commands: Markdown prompt files turned into `/name` commands.
// This part is pure: a file's name and text → a command, and a command's text
// with the user's arguments filled in.

export interface CustomCommand {
  name: string;
  /** For completion and /help: front matter `description:`, else the first line. */
  summary: string;
  /** The prompt, front matter removed. */
  template: string;
  scope: 'project' | 'user';
  /** Where it came from, for notices. */
  file: string;
}

/** Summaries longer than this are cut for the command list. */
const MAX_SUMMARY = 80;

/** `Fix Issue.md` → `fix-issue`; undefined when nothing usable is left. */
export function commandName(fileName: string): string | undefined {
  const name = fileName
    .replace(/\.md$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return name === '' ? undefined : name.slice(0, 40);
}

export function parseCommandFile(
  fileName: string,
  text: string,
  scope: CustomCommand['scope'],
  file: string,
): CustomCommand | undefined {
  const name = commandName(fileName);
  if (!name) return undefined;
  let body = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  let description: string | undefined;
  const front = /^---\n([\s\S]*?)\n---\n?/.exec(body);
  if (front) {
    body = body.slice(front[0].length);
    const line = /^description:\s*(.+)$/m.exec(front[1]!);
    if (line) description = line[1]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  const firstLine = body
    .split('\n')
    .map((line) => line.replace(/^#+\s*/, '').trim())
    .find((line) => line !== '');
  const summary = oneLine(description || firstLine || `prompt from ${scope} commands`);
  return { name, summary, template: body.trim(), scope, file };
}

/** The prompt to send: `$ARGUMENTS` is everything after the name, `$1`…`$9` its words; unused arguments are appended. */
export function expandCommand(template: string, args: string): string {
  const trimmed = args.trim();
  const words = splitWords(trimmed);
  let used = false;
  const text = template.replace(/\$(ARGUMENTS|[1-9])/g, (_match, key: string) => {
    used = true;
    return key === 'ARGUMENTS' ? trimmed : (words[Number(key) - 1] ?? '');
  });
  return !used && trimmed !== '' ? `${text}\n\n${trimmed}` : text;
}

/** Words, with "double" or 'single' quotes holding spaces. */
function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_SUMMARY ? `${line.slice(0, MAX_SUMMARY - 1)}…` : line;
}

/**
 * The commands in effect: project ones win over user ones of the same name, and no custom
 * command replaces a built-in one. `notices` says what was shadowed.
 */
export function mergeCommands(
  builtIn: readonly string[],
  project: readonly CustomCommand[],
  user: readonly CustomCommand[],
): { commands: CustomCommand[]; notices: string[] } {
  const notices: string[] = [];
  const byName = new Map<string, CustomCommand>();
  for (const command of [...user, ...project]) {
    if (builtIn.includes(command.name) || command.name === 'exit') {
      notices.push(`${command.file} is not used: /${command.name} is a built-in command; rename the file.`);
      continue;
    }
    const earlier = byName.get(command.name);
    if (earlier && earlier.scope !== command.scope) {
      notices.push(`/${command.name} from ${command.file} is used instead of the one in ${earlier.file}.`);
    }
    byName.set(command.name, command);
  }
  return { commands: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), notices };
}
