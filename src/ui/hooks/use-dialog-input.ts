// Keys for a dialog. Inside the App, the App's own input handler (listening
// since the first frame) hands every key to the open dialog: Ink starts a new
// component's listener in an effect, a moment after its frame is drawn, and a
// key pressed in that moment (a quick "y") would be lost. The dialog takes the
// keys in a layout effect, which runs in the same commit that draws it.
// Alone (a component test), a dialog listens for its keys itself.
//
// Keys come in bursts (typed ahead, sent by tmux or a script): several keys in
// one chunk, or several chunks before React draws again. A dialog keeps its
// truth in refs so each key sees what the previous one left, answers once, and
// gives back what came after its answer, for the prompt editor.
import type { Key } from 'ink';
import { createContext, useContext, useLayoutEffect, type MutableRefObject } from 'react';
import { useStableInput } from './use-stable-input.js';

/** Takes a key; returns the input it did not take (with the same key), if any. */
export type KeyHandler = (input: string, key: Key) => string | void;

/** Where the App sends keys while a dialog is open. */
export const DialogInputContext = createContext<MutableRefObject<KeyHandler | undefined> | undefined>(undefined);

export function useDialogInput(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const route = useContext(DialogInputContext);
  const active = options.isActive ?? true;
  useLayoutEffect(() => {
    if (!route || !active) return;
    route.current = handler;
    return () => {
      if (route.current === handler) route.current = undefined;
    };
  });
  useStableInput(
    (input, key) => {
      handler(input, key);
    },
    { isActive: active && !route },
  );
}
