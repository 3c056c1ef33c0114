import { describe, expect, it } from 'vitest';
import { allListeners, tellListener, type ChangeListener } from '../../src/agent/change-listeners.js';
import type { AgentEvent } from '../../src/agent/events.js';
import type { AppliedChangeSet } from '../../tools/changes/file-changes.js';

const set: AppliedChangeSet = {
  changes: [{ type: 'add', path: 'a.txt', content: 'a\n' }],
  before: [{ path: 'a.txt', existed: false }],
  after: [{ path: 'a.txt', existed: true, bytes: Buffer.from('a\n') }],
  createdDirs: [],
};

const failing =
  (name: string): ChangeListener =>
  () => {
    throw new Error(`${name} broke`);
  };

describe('change listeners', () => {
  it('tells every listener, also in a fan-out inside a fan-out, and reports each failure with its stack', () => {
    const heard: string[] = [];
    const events: AgentEvent[] = [];
    const listener = allListeners(
      allListeners(
        failing('the session'),
        (changes) => heard.push(`ui ${changes.after[0]!.path}`),
        failing('the session diff'),
      ),
      failing('the fix tally'),
      undefined,
    );
    tellListener(listener, set, (event) => events.push(event));

    expect(heard).toEqual(['ui a.txt']);
    expect(events).toHaveLength(1);
    const message = (events[0] as Extract<AgentEvent, { type: 'model.notice' }>).message;
    expect(message).toMatch(/^The change to a\.txt was applied, but recording it failed/);
    for (const name of ['the session', 'the session diff', 'the fix tally']) {
      expect(message).toMatch(new RegExp(`Error: ${name} broke\\n\\s+at `));
    }
  });

  it('says nothing when every listener does its job', () => {
    const events: AgentEvent[] = [];
    let heard = 0;
    tellListener(
      allListeners(
        () => heard++,
        () => heard++,
      ),
      set,
      (event) => events.push(event),
    );
    expect([heard, events]).toEqual([2, []]);
  });
});
