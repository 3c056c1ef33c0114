// Whether a session holds anything worth coming back to: an answer from the
// model or a change it applied. One that never got either (a refused
// connection, a model that failed to load) is not kept or offered for --resume.
import type { SessionRecord } from './session-records.js';

export function isSubstantive(record: SessionRecord): boolean {
  if (record.type === 'checkpoint') return true;
  if (record.type !== 'history') return false;
  const { change } = record;
  // A compacted conversation summarises earlier answers.
  if (change.op === 'reset') return change.messages.length > 0;
  return change.message.role === 'assistant';
}
