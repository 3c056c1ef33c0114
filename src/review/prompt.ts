// The user message of one review batch: what is reviewed, each file's
// numbered listing, the definitions and callers of changed code, and the
// reminder of the answer format (the format itself is in prompts/review.md,
// which stays the same between runs so its tokens are cached).
import type { ChangedFile } from './changes.js';
import { fileHeading } from './listing.js';
import type { Section } from './batches.js';

/** Other changed files named in a batch's prompt, at most (each costs tokens in every batch). */
const NOT_SHOWN_LISTED = 20;

export interface BatchPromptInput {
  /** "the staged changes" */
  what: string;
  sections: readonly Section[];
  /** "1 of 3"; "1 of 1" when the change fits in one request. */
  part: string;
  /** Changed files not shown in this batch, with why (binary, other batch, too large). */
  notShown: ReadonlyArray<{ file: ChangedFile; why: string }>;
  codeContext: string;
}

export function batchPrompt(input: BatchPromptInput): string {
  const part = input.part === '1 of 1' ? '' : ` (part ${input.part})`;
  const lines = [`Review ${input.what}${part}. Line numbers are those of the new version.`];
  if (input.notShown.length > 0) {
    const listed = input.notShown.slice(0, NOT_SHOWN_LISTED);
    const more = input.notShown.length - listed.length;
    lines.push(
      '',
      'Also changed, not shown here:',
      ...listed.map(({ file, why }) => `- ${fileHeading(file)}: ${why}`),
      ...(more > 0 ? [`- and ${more} more files`] : []),
    );
  }
  for (const section of input.sections) lines.push('', section.text);
  if (input.codeContext) lines.push('', input.codeContext);
  lines.push('', 'Check what you need with the tools, then answer with the findings JSON only.');
  return lines.join('\n');
}

/** The follow-up when the answer could not be read (or never came): asked with the schema enforced and no tools. */
export function correctionPrompt(problem: string): string {
  return (
    `Your answer could not be read as findings (${problem}). ` +
    'Reply now with only the JSON object {"findings": [...]} as described in your instructions: no prose, no code fence. ' +
    'Use {"findings": []} if you found nothing.'
  );
}
