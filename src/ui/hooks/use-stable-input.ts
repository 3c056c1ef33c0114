// useInput with a handler that always sees the latest render. Ink subscribes
// a handler in an effect, which runs a moment after the frame is drawn; keys
// arriving in that moment would otherwise reach the previous render's handler
// (a letter typed right after "n" would miss the feedback field).
import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';

export function useStableInput(handler: (input: string, key: Key) => void, options: { isActive?: boolean } = {}) {
  const latest = useRef(handler);
  latest.current = handler;
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(stable, options);
}
