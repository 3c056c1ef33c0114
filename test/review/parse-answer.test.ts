// Reading the model's findings from answers as servers really return them:
// clean JSON, fenced, wrapped in prose, with trailing commas, cut off
// mid-answer, or not JSON at all (reported, never invented).
import { describe, expect, it } from 'vitest';
import { readFindingsAnswer, repairJson } from '../../src/review/parse-answer.js';

const finding = {
  file: 'src/a.ts',
  line: 3,
  end_line: 4,
  severity: 'high',
  category: 'bug',
  title: 'Off by one',
  explanation: 'Reads past the end.',
};

function findings(answer: string) {
  const reading = readFindingsAnswer(answer);
  if (!reading.ok) throw new Error(`unreadable: ${reading.problem}`);
  return reading;
}

describe('readFindingsAnswer', () => {
  it('reads clean JSON', () => {
    expect(findings(JSON.stringify({ findings: [finding] })).findings).toEqual([finding]);
  });

  it('reads an empty list as no findings', () => {
    expect(findings('{"findings": []}')).toEqual({ ok: true, findings: [], dropped: [] });
  });

  it.each([
    ['a code fence', '```json\n' + JSON.stringify({ findings: [finding] }) + '\n```'],
    ['prose around it', 'Here is my review:\n' + JSON.stringify({ findings: [finding] }) + '\nThat is all [done].'],
    [
      'trailing commas',
      '{"findings": [{"file": "src/a.ts", "line": 3, "end_line": 4, "severity": "high", "category": "bug", "title": "Off by one", "explanation": "Reads past the end.",},],}',
    ],
    ['a bare list', JSON.stringify([finding])],
  ])('repairs %s', (_name, answer) => {
    expect(findings(answer).findings).toEqual([finding]);
  });

  it('keeps the complete findings of an answer cut off mid-finding, and says which item was lost', () => {
    const whole = JSON.stringify({ findings: [finding, { ...finding, line: 9, title: 'Second' }] });
    const cut = whole.slice(0, whole.indexOf('"Second"') - 10);
    const reading = findings(cut);
    expect(reading.findings).toEqual([finding]);
    expect(reading.dropped).toEqual(['finding 2: no title or explanation']);
  });

  it('accepts common synonyms for fields, severities and categories', () => {
    const answer = JSON.stringify({
      findings: [
        {
          path: './x.py',
          startLine: '7',
          endLine: 8,
          severity: 'Critical',
          category: 'correctness',
          description: 'Divides by zero when empty. More.',
        },
      ],
    });
    expect(findings(answer).findings).toEqual([
      {
        file: './x.py',
        line: 7,
        end_line: 8,
        severity: 'high',
        category: 'bug',
        title: 'Divides by zero when empty',
        explanation: 'Divides by zero when empty. More.',
      },
    ]);
  });

  it('drops items that are not findings, saying why, and keeps the rest', () => {
    const reading = findings(
      JSON.stringify({
        findings: [finding, { line: 2, severity: 'low', title: 'x' }, { ...finding, severity: 'catastrophic' }, 'text'],
      }),
    );
    expect(reading.findings).toEqual([finding]);
    expect(reading.dropped).toEqual([
      'finding 2: no file',
      'finding 3: unknown severity "catastrophic"',
      'finding 4: not an object',
    ]);
  });

  it.each([
    ['', 'the answer was empty'],
    ['The code looks fine to me.', 'the answer contains no JSON'],
    ['{"verdict": "fine"}', 'the JSON has no "findings" list'],
    ['{"findings": [ {"file": "a" ::: } ]', 'the answer is not valid JSON, even after repair'],
  ])('reports %j as unreadable', (answer, problem) => {
    expect(readFindingsAnswer(answer)).toEqual({ ok: false, problem });
  });
});

describe('repairJson', () => {
  it('closes an unterminated string and brackets, dropping a dangling key', () => {
    expect(JSON.parse(repairJson('{"a": [1, 2], "b": "unfinish'))).toEqual({ a: [1, 2], b: 'unfinish' });
    expect(JSON.parse(repairJson('{"a": 1, "b":'))).toEqual({ a: 1 });
    expect(JSON.parse(repairJson('{"a": [{"x": 1}, {"y"'))).toEqual({ a: [{ x: 1 }, {}] });
    // In a list, a complete string is a value, not a key.
    expect(JSON.parse(repairJson('{"a": ["x", "y"'))).toEqual({ a: ['x', 'y'] });
  });

  it('leaves commas inside strings alone', () => {
    expect(JSON.parse(repairJson('{"a": "x,}", "b": [1,],}'))).toEqual({ a: 'x,}', b: [1] });
  });
});
