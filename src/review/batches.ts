// Fits a change into the model's context: files are packed, in diff order,
// into batches that each stay within the token budget; a file too large to
// fit even as its changed parts alone is skipped, and the output says so.
import { estimateTokens } from '../agent/truncate.js';
import type { ChangedFile } from './changes.js';
import { renderListing } from './listing.js';

export interface Section {
  file: ChangedFile;
  text: string;
  tokens: number;
}

export interface BatchPlan {
  batches: Section[][];
  /** Files over the budget on their own. */
  tooLarge: Array<{ file: ChangedFile; tokens: number }>;
}

export function planBatches(files: readonly ChangedFile[], budgetTokens: number): BatchPlan {
  const batches: Section[][] = [];
  const tooLarge: BatchPlan['tooLarge'] = [];
  let current: Section[] = [];
  let used = 0;
  for (const file of files) {
    if (file.skip) continue;
    let section = measure(file, renderListing(file).text);
    // A whole file that does not fit is tried again as its changed parts.
    if (section.tokens > budgetTokens) section = measure(file, renderListing(file, true).text);
    if (section.tokens > budgetTokens) {
      tooLarge.push({ file, tokens: section.tokens });
      continue;
    }
    if (used + section.tokens > budgetTokens && current.length > 0) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(section);
    used += section.tokens;
  }
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}

function measure(file: ChangedFile, text: string): Section {
  return { file, text, tokens: estimateTokens(text) };
}
