// The grep backend on ripgrep: `rg --json`, whose match and context events
// carry line numbers and the byte span of each match.
import type { GrepOutcome, GrepSearch } from './search.js';
import { nameFilterArgs, ripgrepMessage, ripgrepPath, runRipgrep, walkArgs } from './ripgrep.js';

/** A path or line in rg's JSON: text when it is valid UTF-8, else base64 bytes. */
interface RgData {
  text?: string;
  bytes?: string;
}

interface RgLineEvent {
  type: 'match' | 'context';
  data: {
    path: RgData;
    lines: RgData;
    line_number: number | null;
    submatches: Array<{ start: number; end: number }>;
  };
}

export async function ripgrepSearch(rg: string, search: GrepSearch): Promise<GrepOutcome> {
  const { workspace, at, collector } = search;
  const args = [
    '--json',
    ...walkArgs(workspace.isGitRepo),
    ...nameFilterArgs(search.nameGlob),
    ...(search.caseInsensitive ? ['--ignore-case'] : ['--case-sensitive']),
    ...(search.context > 0 ? ['--context', String(search.context)] : []),
    '--regexp',
    search.pattern,
    '--',
    at.operand,
  ];
  const result = await runRipgrep(rg, args, {
    cwd: at.cwd,
    root: workspace.root,
    signal: search.signal,
    onRecord(record) {
      // Only match and context events matter; skip the rest without parsing.
      if (!record.startsWith('{"type":"match"') && !record.startsWith('{"type":"context"')) return undefined;
      const event = JSON.parse(record) as RgLineEvent;
      const { data } = event;
      if (data.line_number === null) return undefined;
      const file = at.toRoot(ripgrepPath(decode(data.path)));
      const raw = decode(data.lines);
      const text = raw.replace(/\r?\n$/, '');
      if (event.type === 'context') {
        collector.contextLine(file, data.line_number, text);
        return undefined;
      }
      const first = data.submatches[0];
      const span = first ? charSpan(raw, first.start, first.end) : undefined;
      return collector.match(file, data.line_number, text, span);
    },
  });
  // Exit 0: matches; 1: none; null: stopped at the store limit; 2: an error.
  if (result.code !== 2) return { ok: true };
  const message = ripgrepMessage(result.stderr) || 'ripgrep failed without a message (exit 2).';
  if (collector.totalMatches > 0) return { ok: true, warning: message };
  if (/regex/i.test(message)) return { ok: false, problem: 'pattern', message: unwrapPattern(message, search.pattern) };
  return { ok: false, problem: 'failed', message };
}

/**
 * Newer ripgrep shows the pattern wrapped as "(?:pattern)", with a caret
 * under the wrapped text, which would confuse the model about what it sent;
 * then only the error itself is kept.
 */
function unwrapPattern(message: string, pattern: string): string {
  const lines = message.split('\n');
  if (!lines.some((line) => line.trim() === `(?:${pattern})`)) return message;
  const errors = lines.filter((line) => line.startsWith('error:')).map((line) => line.slice('error:'.length).trim());
  return `regex parse error: ${errors.join('; ') || 'the pattern is not a valid regex'}`;
}

function decode(value: RgData): string {
  return value.text ?? Buffer.from(value.bytes ?? '', 'base64').toString('utf8');
}

/** rg reports byte offsets into the UTF-8 line; the cutting works on characters. */
function charSpan(line: string, startByte: number, endByte: number): [number, number] {
  if (Buffer.byteLength(line) === line.length) return [startByte, endByte];
  const bytes = Buffer.from(line);
  const start = bytes.subarray(0, startByte).toString('utf8').length;
  return [start, start + bytes.subarray(startByte, endByte).toString('utf8').length];
}
