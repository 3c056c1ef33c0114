// Cuts a tool output that is too long for the model's budget, keeping the
// head and the tail (where errors and summaries usually are) and saying
// what was cut and how to see it.

/** A rough token count: o200k averages about 3.5 characters a token on code and logs. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

export interface Truncated {
  text: string;
  truncated: boolean;
}

export function truncateForModel(
  text: string,
  maxTokens: number,
  moreHint = 'narrow the request to see the rest',
  countTokens: (text: string) => number = estimateTokens,
): Truncated {
  if (countTokens(text) <= maxTokens) return { text, truncated: false };
  const lines = text.split('\n');
  // Keep about 60% of the budget for the head and 40% for the tail, line-aligned.
  const budgetChars = Math.floor(maxTokens * 3.5);
  const headBudget = Math.floor(budgetChars * 0.6);
  const tailBudget = budgetChars - headBudget;
  const head: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > headBudget) break;
    head.push(line);
    used += line.length + 1;
  }
  const tail: string[] = [];
  used = 0;
  for (let i = lines.length - 1; i >= head.length; i--) {
    const line = lines[i]!;
    if (used + line.length + 1 > tailBudget) break;
    tail.unshift(line);
    used += line.length + 1;
  }
  // A single huge line (minified code, a long JSON blob) is cut by characters instead.
  if (head.length === 0 && tail.length === 0) {
    const cut = text.length - budgetChars;
    return {
      text: `${text.slice(0, headBudget)}\n[… ${cut} characters cut; ${moreHint} …]\n${text.slice(text.length - tailBudget)}`,
      truncated: true,
    };
  }
  const cutLines = lines.length - head.length - tail.length;
  const cutTokens = countTokens(lines.slice(head.length, lines.length - tail.length).join('\n'));
  const note = `[… ${cutLines} lines (about ${cutTokens} tokens) cut from the middle; ${moreHint} …]`;
  return { text: [...head, note, ...tail].join('\n'), truncated: true };
}
