// A review as the UI shows it: plain data that the session builds from the
// review's result, so the UI needs none of the review's own code.

export type ReviewSeverity = 'high' | 'medium' | 'low' | 'nit';

export interface ReviewView {
  /** "Reviewed the staged changes: 2 of 2 files" */
  heading: string;
  /** One line per file ("modified src/a.ts  +3 -1"); `note` says why it was not reviewed. */
  files: { line: string; note?: string }[];
  /** What went wrong on the way (an answer that could not be read). */
  problems: string[];
  byFile: { file: string; findings: FindingView[] }[];
  /** Findings set aside because they did not point into the change, one line each. */
  setAside: string[];
  /** "2 findings: 1 high, 1 low." */
  verdict: string;
  /** Every part of the change was reviewed and every answer read. */
  complete: boolean;
}

export interface FindingView {
  severity: ReviewSeverity;
  category: string;
  /** "src/a.ts:3-5" */
  place: string;
  /** The finding points outside the changed lines, at code the change affects. */
  outside: boolean;
  title: string;
  explanation: string;
  /** The lines it points at in the new version: "+" the change added the line, "~" it touched it. */
  excerpt: { line: number; mark: '+' | '~' | ' '; text: string }[];
  suggestion?: string;
}
