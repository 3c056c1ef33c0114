// How the session flags are read: --resume with or without an id.
import { describe, expect, it } from 'vitest';
import { sessionChoice, takeBareResume, UsageError } from '../../src/modes/options.js';

describe('--resume without an id (the UI’s picker)', () => {
  it.each([
    [['--resume'], [], true],
    [['--resume', '--endpoint', 'http://x'], ['--endpoint', 'http://x'], true],
    [['-m', '20b', '--resume'], ['-m', '20b'], true],
    [['--resume', '-a', 'auto-edit', 'fix it'], ['-a', 'auto-edit', 'fix it'], true],
    [['--resume', 'abc123'], ['--resume', 'abc123'], false],
    [['--resume=abc123', '--continue'], ['--resume=abc123', '--continue'], false],
    [['fix it', '--', '--resume'], ['fix it', '--', '--resume'], false],
  ])('%j leaves %j, picker: %s', (argv, rest, pick) => {
    expect(takeBareResume(argv)).toEqual({ argv: rest, pick });
  });

  it('keeps --resume ID, and refuses --continue with either', () => {
    expect(sessionChoice({ resume: 'abc123' }, false)).toBe('abc123');
    expect(sessionChoice({}, true)).toBeUndefined();
    expect(sessionChoice({ continue: true })).toBe('last');
    expect(() => sessionChoice({ continue: true }, true)).toThrow(UsageError);
    expect(() => sessionChoice({ continue: true, resume: 'abc' })).toThrow('give --continue or --resume ID, not both');
    expect(() => sessionChoice({ resume: ' ' })).toThrow('--resume needs a session id');
  });
});
