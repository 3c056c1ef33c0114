// Who hears of the changes a tool applied: the session's undo checkpoints,
// the UI's session diff, the fix flow's tally. The files have changed by the
// time they hear, so a listener that fails must neither keep the others from
// hearing nor make the change look as if it had not been applied.
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';
import type { AgentEventSink } from './events.js';

export type ChangeListener = (changes: AppliedChangeSet) => void;

/** One listener for several: each is told, even after one before it threw; then what they threw is thrown. */
export function allListeners(...listeners: (ChangeListener | undefined)[]): ChangeListener | undefined {
  const present = listeners.filter((listener) => listener !== undefined);
  if (present.length <= 1) return present[0];
  return (changes) => {
    const errors: unknown[] = [];
    for (const listener of present) {
      try {
        listener(changes);
      } catch (error) {
        errors.push(...failures(error));
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} change listeners failed`);
  };
}

/**
 * Tells `listener` of changes already applied. What it throws is a bug of ours, not the
 * tool's: it goes to the user as a notice, with its stack, and the work goes on.
 */
export function tellListener(listener: ChangeListener | undefined, changes: AppliedChangeSet, emit: AgentEventSink) {
  try {
    listener?.(changes);
  } catch (error) {
    const files = changes.after.map((snapshot) => snapshot.path).join(', ');
    emit({
      type: 'model.notice',
      message:
        `The change to ${files} was applied, but recording it failed, so undo and the lists of changed ` +
        'files may leave it out. This is a bug in gptoss-agent: please report it with what follows.\n' +
        failures(error)
          .map((each) => (each as Error)?.stack ?? String(each))
          .join('\n'),
    });
  }
}

/** What a listener threw, one error each (a fan-out inside a fan-out throws an AggregateError). */
function failures(error: unknown): unknown[] {
  return error instanceof AggregateError ? error.errors : [error];
}
