// Reads the model's findings from its answer. A server that does not
// enforce the JSON schema may wrap the JSON in prose or a code fence, leave
// a trailing comma, or stop mid-answer; each of those is repaired. What
// still cannot be read is reported as unreadable: nothing is invented.
import { CATEGORIES, SEVERITIES, type Category, type ModelFinding, type Severity } from './findings.js';

export type AnswerReading =
  | {
      ok: true;
      findings: ModelFinding[];
      /** Items that were not findings, and why (e.g. "finding 3: no file"). */
      dropped: string[];
    }
  | { ok: false; problem: string };

export function readFindingsAnswer(answer: string): AnswerReading {
  const text = answer.trim();
  if (text === '') return { ok: false, problem: 'the answer was empty' };
  const read = findingsJson(text);
  if (typeof read === 'string') return { ok: false, problem: read };
  const findings: ModelFinding[] = [];
  const dropped: string[] = [];
  read.forEach((item, index) => {
    const finding = readFinding(item);
    if (typeof finding === 'string') dropped.push(`finding ${index + 1}: ${finding}`);
    else findings.push(finding);
  });
  return { ok: true, findings, dropped };
}

/**
 * The findings list from the JSON inside a code fence, or from the first
 * { or [ that starts a findings document (up to its closing bracket, or
 * the end when the answer was cut off); else what is wrong.
 */
function findingsJson(text: string): unknown[] | string {
  const fence = /```(?:json)?\s*\n([\s\S]*?)(?:```|$)/.exec(text);
  const body = fence?.[1]?.trim() ? fence[1] : text;
  const starts = [body.indexOf('{'), body.indexOf('[')].filter((i) => i >= 0).sort((a, b) => a - b);
  if (starts.length === 0) return 'the answer contains no JSON';
  let problem = 'the answer is not valid JSON, even after repair';
  for (const start of starts) {
    const end = matchingClose(body, start);
    const value = parseLeniently(body.slice(start, end === -1 ? undefined : end + 1));
    if (value === undefined) continue;
    const items = findingItems(value);
    if (items) return items;
    problem = 'the JSON has no "findings" list';
  }
  return problem;
}

function matchingClose(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function parseLeniently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    try {
      return JSON.parse(repairJson(text));
    } catch {
      return undefined;
    }
  }
}

/**
 * Fixes what models and cut-off streams leave behind: trailing commas,
 * an unterminated string, a dangling key or comma, and unclosed brackets.
 */
export function repairJson(text: string): string {
  let out = '';
  const closers: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (inString) {
      out += char;
      if (char === '\\') {
        if (i + 1 < text.length) out += text[++i];
      } else if (char === '"') inString = false;
      continue;
    }
    if (char === ',' && /^\s*[}\]]/.test(text.slice(i + 1))) continue;
    out += char;
    if (char === '"') inString = true;
    else if (char === '{') closers.push('}');
    else if (char === '[') closers.push(']');
    else if (char === '}' || char === ']') closers.pop();
  }
  if (inString) out += '"';
  // In an object, a key whose value never came is dropped before closing.
  if (closers.at(-1) === '}') out = out.replace(/([{,])\s*"(?:[^"\\]|\\.)*"\s*:?\s*$/, '$1');
  out = out.replace(/[,:]\s*$/, '');
  return out + closers.reverse().join('');
}

function findingItems(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.findings)) return record.findings;
  if (typeof record.file === 'string' && record.line !== undefined) return [record];
  return undefined;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'high',
  blocker: 'high',
  error: 'high',
  major: 'medium',
  warning: 'medium',
  moderate: 'medium',
  minor: 'low',
  info: 'low',
  nitpick: 'nit',
  trivial: 'nit',
};

const CATEGORY_WORDS: Record<string, Category> = {
  correctness: 'bug',
  logic: 'bug',
  'data loss': 'bug',
  concurrency: 'bug',
  test: 'tests',
  testing: 'tests',
  perf: 'performance',
  readability: 'maintainability',
  design: 'maintainability',
  documentation: 'maintainability',
  docs: 'maintainability',
  formatting: 'style',
};

/** One finding, or the reason it is not one. Common synonyms and key spellings are accepted. */
function readFinding(item: unknown): ModelFinding | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'not an object';
  const raw = item as Record<string, unknown>;
  const file = text(raw.file ?? raw.path);
  if (!file) return 'no file';
  const line = lineNumber(raw.line ?? raw.start_line ?? raw.startLine);
  if (line === undefined) return 'no line number';
  const severity = pick(raw.severity, SEVERITIES, SEVERITY_WORDS);
  if (!severity) return `unknown severity ${JSON.stringify(raw.severity)}`;
  const category = pick(raw.category, CATEGORIES, CATEGORY_WORDS) ?? 'bug';
  const title = text(raw.title ?? raw.summary);
  const explanation = text(raw.explanation ?? raw.description ?? raw.message ?? raw.details);
  if (!title && !explanation) return 'no title or explanation';
  const end = lineNumber(raw.end_line ?? raw.endLine);
  const suggestion = codeBlock(raw.suggestion ?? raw.fix);
  return {
    file,
    line,
    ...(end !== undefined ? { end_line: end } : {}),
    severity,
    category,
    title: title || firstSentence(explanation),
    explanation: explanation || title,
    ...(suggestion ? { suggestion } : {}),
    ...(raw.context === true ? { context: true } : {}),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** Suggested code: blank lines around it go, each line's indentation (tabs, spaces) stays exactly. */
function codeBlock(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

function lineNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value.trim()) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 ? number : undefined;
}

function pick<T extends string>(value: unknown, known: readonly T[], words: Record<string, T>): T | undefined {
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  return (known as readonly string[]).includes(word) ? (word as T) : words[word];
}

function firstSentence(text: string): string {
  const sentence = /^[^.!?\n]*/.exec(text)?.[0] ?? text;
  return sentence.length > 80 ? `${sentence.slice(0, 79)}…` : sentence;
}
