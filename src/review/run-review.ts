// One review from start to end: load the change, fit it into batches, and
// for each batch run an agent turn (read-only tools allowed) whose answer is
// the findings JSON. An answer that cannot be read gets one more turn with
// the schema enforced and no tools; if that fails too, the batch is
// reported as unread. Findings are then checked against the diff and merged.
import type { TurnOptions, TurnResult } from '../agent/loop.js';
import type { FileStatus } from '../../tools/git/parse-diff.js';
import { planBatches, type Section } from './batches.js';
import { loadChanges, splitLines, type ChangedFile } from './changes.js';
import { renderCodeContext, type CodeContextProvider } from './code-context.js';
import { mergeDuplicates } from './dedup.js';
import { ANSWER_SCHEMA, type Finding, type ModelFinding, type RejectedFinding } from './findings.js';
import { locateFindings } from './locate.js';
import { readFindingsAnswer, type AnswerReading } from './parse-answer.js';
import { batchPrompt, correctionPrompt, type BatchPromptInput } from './prompt.js';
import { describeTarget, readNewVersion, type ReviewTarget } from './target.js';

/** Tokens of change material (listings and code context) in one batch: about 40 s of prompt on a laptop CPU. */
export const DEFAULT_REVIEW_BUDGET_TOKENS = 16_000;
/** The share of a batch's budget the definitions-and-callers section may take. */
const CODE_CONTEXT_SHARE = 0.15;

export interface ReviewAgent {
  runTurn(prompt: string, signal?: AbortSignal, options?: TurnOptions): Promise<TurnResult>;
  clearHistory(): void;
}

export interface ReviewOptions {
  agent: ReviewAgent;
  root: string;
  target: ReviewTarget;
  codeContext: CodeContextProvider;
  budgetTokens?: number;
  signal: AbortSignal;
  /** Told about each step, for the progress line. */
  progress?: (message: string) => void;
}

export interface ReviewedFile {
  path: string;
  oldPath?: string;
  status: FileStatus;
  binary: boolean;
  added: number;
  removed: number;
  reviewed: boolean;
  /** Why it was not reviewed. */
  note?: string;
}

export interface ReviewResult {
  target: ReviewTarget;
  files: ReviewedFile[];
  findings: Finding[];
  rejected: RejectedFinding[];
  /** What went wrong on the way: model failures, unreadable answers, items that were not findings. */
  problems: string[];
  /** Every batch was answered and its answer read (files skipped by design, such as binaries, do not count). */
  complete: boolean;
  aborted: boolean;
  batches: number;
  /** Kept so findings can be shown with the lines they point at. */
  changes: ChangedFile[];
}

export async function runReview(options: ReviewOptions): Promise<ReviewResult> {
  const { agent, root, target, signal } = options;
  const budget = options.budgetTokens ?? DEFAULT_REVIEW_BUDGET_TOKENS;
  const { files } = await loadChanges(root, target, signal);
  const notes = new Map<ChangedFile, string>(files.filter((f) => f.skip).map((f) => [f, f.skip!]));
  const sectionBudget = Math.floor(budget * (1 - CODE_CONTEXT_SHARE));
  const plan = planBatches(files, sectionBudget);
  for (const { file, tokens } of plan.tooLarge) {
    notes.set(file, `too large to review (about ${tokens} tokens; one review holds ${sectionBudget})`);
  }

  const raw: ModelFinding[] = [];
  const problems: string[] = [];
  let aborted = false;
  let stopped = false;
  let complete = true;
  for (const [index, sections] of plan.batches.entries()) {
    if (stopped) {
      for (const { file } of sections) notes.set(file, 'not reviewed: the review stopped before it');
      continue;
    }
    const label = plan.batches.length > 1 ? `part ${index + 1} of ${plan.batches.length}: ` : '';
    options.progress?.(`Reviewing ${label}${namesOf(sections)}`);
    const shown = new Set(sections.map((s) => s.file));
    const notShown = files
      .filter((file) => !shown.has(file))
      .map((file) => ({ file, why: notes.get(file) ?? 'reviewed separately' }));
    const outcome = await reviewBatch(options, sections, `${index + 1} of ${plan.batches.length}`, notShown, budget);
    if (outcome.kind === 'aborted') {
      aborted = stopped = true;
      complete = false;
      for (const { file } of sections) notes.set(file, 'not reviewed: interrupted');
    } else if (outcome.kind === 'failed') {
      problems.push(outcome.problem);
      stopped = true;
      complete = false;
      for (const { file } of sections) notes.set(file, 'not reviewed: the model failed');
    } else if (!outcome.reading.ok) {
      problems.push(outcome.problemText);
      complete = false;
      for (const { file } of sections) notes.set(file, "not reviewed: the model's answer could not be read");
    } else {
      raw.push(...outcome.reading.findings);
      problems.push(...outcome.reading.dropped.map((d) => `an answer item was not a finding (${d})`));
    }
  }

  const located = await locateFindings(raw, { root, files, lineCount: lineCounter(root, target, signal) });
  const reviewed: ReviewedFile[] = files.map((file) => {
    const note = notes.get(file);
    return {
      path: file.path,
      ...(file.oldPath && file.oldPath !== file.path ? { oldPath: file.oldPath } : {}),
      status: file.status,
      binary: file.binary,
      added: file.added,
      removed: file.removed,
      reviewed: note === undefined,
      ...(note ? { note } : {}),
    };
  });
  return {
    target,
    files: reviewed,
    findings: mergeDuplicates(located.findings),
    rejected: located.rejected,
    problems,
    complete,
    aborted,
    batches: plan.batches.length,
    changes: files,
  };
}

type BatchOutcome =
  | { kind: 'aborted' }
  | { kind: 'failed'; problem: string }
  | { kind: 'answered'; reading: AnswerReading; problemText: string };

async function reviewBatch(
  options: ReviewOptions,
  sections: readonly Section[],
  part: string,
  notShown: BatchPromptInput['notShown'],
  budget: number,
): Promise<BatchOutcome> {
  const { agent, signal } = options;
  const used = sections.reduce((sum, s) => sum + s.tokens, 0);
  const symbols = await options.codeContext.changedSymbols(
    sections.map((s) => s.file),
    signal,
  );
  const contextTokens = Math.max(0, Math.min(budget - used, Math.floor(budget * CODE_CONTEXT_SHARE)));
  const prompt = batchPrompt({
    what: describeTarget(options.target),
    sections,
    part,
    notShown,
    codeContext: renderCodeContext(symbols, Math.floor(contextTokens * 3.5)),
  });

  agent.clearHistory();
  const title = `Reviewing ${namesOf(sections)}${part === '1 of 1' ? '' : ` (part ${part})`}`;
  const first = await agent.runTurn(prompt, signal, { title });
  if (first.stopReason === 'aborted') return { kind: 'aborted' };
  if (first.stopReason === 'error') return { kind: 'failed', problem: modelFailure(first) };
  let reading: AnswerReading =
    first.stopReason === 'answer'
      ? readFindingsAnswer(first.answer)
      : {
          ok: false,
          problem:
            first.stopReason === 'output_limit'
              ? 'the answer reached the output limit before it was complete'
              : 'the model used its whole tool budget without answering',
        };
  if (reading.ok) return { kind: 'answered', reading, problemText: '' };

  const second = await agent.runTurn(correctionPrompt(reading.problem), signal, {
    responseSchema: ANSWER_SCHEMA,
    title: 'Asking again for the findings in the form they are read in',
  });
  if (second.stopReason === 'aborted') return { kind: 'aborted' };
  if (second.stopReason === 'error') return { kind: 'failed', problem: modelFailure(second) };
  reading = readFindingsAnswer(second.answer);
  const problemText = reading.ok
    ? ''
    : `The model's findings could not be read (${reading.problem}); its answer began: ${JSON.stringify(second.answer.slice(0, 200))}`;
  return { kind: 'answered', reading, problemText };
}

/** "a.ts, b.ts and 12 more files" */
function namesOf(sections: readonly Section[], shown = 5): string {
  const names = sections
    .slice(0, shown)
    .map((s) => s.file.path)
    .join(', ');
  return sections.length > shown ? `${names} and ${sections.length - shown} more files` : names;
}

function modelFailure(turn: TurnResult): string {
  const error = turn.error;
  return error ? `The model failed: ${error.message}${error.hint ? ` (${error.hint})` : ''}` : 'The model failed.';
}

/** Line counts of files outside the diff, in the reviewed version (for context findings). */
function lineCounter(root: string, target: ReviewTarget, signal: AbortSignal) {
  const counts = new Map<string, Promise<number | undefined>>();
  return (file: string): Promise<number | undefined> => {
    let count = counts.get(file);
    if (!count) {
      count = readNewVersion(root, target, file, { signal, maxBytes: 4 * 1024 * 1024 }).then(
        ({ text, cut }) => (cut ? Number.POSITIVE_INFINITY : splitLines(text).length),
        () => undefined,
      );
      counts.set(file, count);
    }
    return count;
  };
}
