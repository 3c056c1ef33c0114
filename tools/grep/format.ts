// The text the model reads for grep results: matches grouped under their
// file, "12: text" for a matching line, "13- text" for context, and, when
// context was asked for, "--" between separate stretches of one file.
import type { GrepMatch } from './match.js';

export function formatGrepMatches(matches: readonly GrepMatch[], context: number): string {
  const out: string[] = [];
  let file: string | undefined;
  let lastLine = 0;
  for (const match of matches) {
    if (match.file !== file) {
      file = match.file;
      out.push(file);
      lastLine = 0;
    }
    const firstBefore = match.line - match.before.length;
    const rows: Array<[number, string, string]> = [
      ...match.before.map((text, i): [number, string, string] => [firstBefore + i, '-', text]),
      [match.line, ':', match.text],
      ...match.after.map((text, i): [number, string, string] => [match.line + 1 + i, '-', text]),
    ];
    for (const [line, mark, text] of rows) {
      // A line that was the previous match's context may be this one's too: print it once.
      if (line <= lastLine) continue;
      if (context > 0 && lastLine > 0 && line > lastLine + 1) out.push('  --');
      out.push(`  ${line}${mark} ${text}`);
      lastLine = line;
    }
  }
  return out.join('\n');
}
