// Errors the model reads when a patch cannot be applied. Every one ends by
// saying that no file was touched, so the model resends the whole patch
// instead of only the part that failed.
import { ToolError } from '../tool-error.js';

const NOTHING_CHANGED = 'Nothing was changed: no file was written. Fix the patch and send all of it again.';

export function patchError(...paragraphs: string[]): ToolError {
  return new ToolError([...paragraphs, NOTHING_CHANGED].join('\n'));
}

/** The same error with the nothing-changed sentence added when it lacks one. */
export function withNothingChanged(message: string): ToolError {
  return /nothing was changed/i.test(message) ? new ToolError(message) : patchError(message);
}
