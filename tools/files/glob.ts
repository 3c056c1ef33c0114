// File globs as the model writes them (`*.ts`, `src/**/*.test.ts`,
// `*.{js,jsx}`), matched in the way of .gitignore and ripgrep's --glob: a
// glob without a slash matches a file's name at any depth, one with a slash
// matches the whole relative path; `*` stays within one directory, `**`
// crosses them; a leading "!" inverts the glob.
import { ToolError } from '../tool-error.js';
import { escapeRegExp } from '../text/escape-reg-exp.js';

export interface FileGlob {
  /** The glob as the model gave it. */
  source: string;
  /** Whether a relative path (forward slashes) matches. */
  matches(relative: string): boolean;
  /**
   * A glob on file names alone that every matching file satisfies, for
   * ripgrep to narrow its walk with; undefined when there is none.
   */
  nameGlob: string | undefined;
}

export function compileGlob(source: string): FileGlob {
  let glob = source.trim();
  // "!*.test.ts", as ripgrep's --glob takes it: every file that does not match.
  if (glob.startsWith('!')) {
    const positive = compileGlob(glob.slice(1));
    return { source, matches: (relative) => !positive.matches(relative), nameGlob: undefined };
  }
  if (glob === '') throw new ToolError('The glob is empty. Give one like *.ts or src/**/*.ts, or leave it out.');
  glob = glob.replace(/^(\.\/)+/, '').replace(/^\/+/, '');
  if (glob.endsWith('/')) glob += '**';
  const body = globToRegExpSource(glob, source);
  const regex = glob.includes('/') ? new RegExp(`^${body}$`) : new RegExp(`(?:^|/)${body}$`);
  return { source, matches: (relative) => regex.test(relative), nameGlob: nameGlobOf(glob) };
}

function globToRegExpSource(glob: string, source: string): string {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    switch (char) {
      case '\\': {
        const next = glob[i + 1];
        if (next === undefined) throw invalid(source, 'it ends with a lone backslash');
        out += escapeRegExp(next);
        i++;
        break;
      }
      case '*': {
        if (glob[i + 1] !== '*') {
          out += '[^/]*';
          break;
        }
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        const after = glob[i + 2];
        if (atSegmentStart && after === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else if (atSegmentStart && after === undefined) {
          out += '.*';
          i += 1;
        } else {
          // "a**b" is no directory wildcard; it means the same as "a*b".
          out += '[^/]*';
          i += 1;
        }
        break;
      }
      case '?':
        out += '[^/]';
        break;
      case '[': {
        const { regex, end } = characterClass(glob, i, source);
        out += regex;
        i = end;
        break;
      }
      case '{':
        braceDepth++;
        out += '(?:';
        break;
      case '}':
        if (braceDepth === 0) {
          out += '\\}';
        } else {
          braceDepth--;
          out += ')';
        }
        break;
      case ',':
        out += braceDepth > 0 ? '|' : ',';
        break;
      default:
        out += escapeRegExp(char);
    }
  }
  if (braceDepth > 0) throw invalid(source, 'a "{" is never closed');
  return out;
}

/**
 * `[abc]`, `[a-z]`, `[!abc]` (also `[^abc]`); a "]" right after the opening is
 * literal, and a negated class never matches "/".
 */
function characterClass(glob: string, open: number, source: string): { regex: string; end: number } {
  let i = open + 1;
  let negated = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negated = true;
    i++;
  }
  let body = '';
  for (let first = true; i < glob.length; i++, first = false) {
    const char = glob[i]!;
    if (char === ']' && !first) return { regex: negated ? `[^/${body}]` : `[${body}]`, end: i };
    if (char === '\\' && i + 1 < glob.length) {
      body += `\\${glob[++i]}`;
    } else {
      body += char === '\\' || char === ']' || char === '[' || char === '^' ? `\\${char}` : char;
    }
  }
  throw invalid(source, 'a "[" is never closed');
}

/**
 * The last path segment, when ripgrep can use it as a file-type glob: it must
 * not cross directories (`**`), hold a ":" (the type syntax's separator) or
 * nest braces, and no "/" may sit inside braces.
 */
function nameGlobOf(glob: string): string | undefined {
  let depth = 0;
  let maxDepth = 0;
  let lastSlash = -1;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '\\') i++;
    else if (char === '{') maxDepth = Math.max(maxDepth, ++depth);
    else if (char === '}' && depth > 0) depth--;
    else if (char === '/') {
      if (depth > 0) return undefined;
      lastSlash = i;
    }
  }
  const name = glob.slice(lastSlash + 1);
  // A backslash is an escape here but a separator to ripgrep on Windows.
  if (name === '' || name.includes('**') || name.includes(':') || name.includes('\\') || maxDepth > 1) return undefined;
  return name;
}

function invalid(source: string, why: string): ToolError {
  return new ToolError(
    `The glob ${JSON.stringify(source)} is not valid: ${why}. ` +
      'Write globs like *.ts, *.{ts,tsx} or src/**/*.test.ts (escape a literal [ { * ? with a backslash).',
  );
}
