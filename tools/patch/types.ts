// The parsed form of a V4A patch: what each file section asks for, with the
// patch line numbers kept so errors can point back at the text the model wrote.

export interface HunkLine {
  kind: 'context' | 'remove' | 'add';
  text: string;
}

export interface Hunk {
  /** 1-based position among the hunks of its file, as errors name it. */
  number: number;
  /** Text of the `@@ …` lines that narrow where the hunk is, outermost first. */
  headers: string[];
  lines: HunkLine[];
  /** `*** End of File` followed the hunk: it sits at the end of the file. */
  atEndOfFile: boolean;
  /** Empty context lines at the end that came from blank patch lines (often mere spacing). */
  trailingBlankLines: number;
}

export type FileOperation =
  | { type: 'add'; path: string; lines: string[] }
  | { type: 'delete'; path: string }
  | { type: 'update'; path: string; moveTo?: string; hunks: Hunk[] };

export interface ParsedPatch {
  operations: FileOperation[];
}
