// Helpers for rendering UI components with ink-testing-library.
import { vi } from 'vitest';

const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

/** The frame as the user reads it: no escape codes, no trailing spaces. */
export function plain(frame: string | undefined): string {
  return (frame ?? '')
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/** Waits until the last frame contains `text`; returns that frame. */
export async function frameWith(lastFrame: () => string | undefined, text: string | RegExp): Promise<string> {
  let frame = '';
  await vi.waitFor(
    () => {
      frame = plain(lastFrame());
      if (typeof text === 'string' ? !frame.includes(text) : !text.test(frame)) {
        throw new Error(`not on screen: ${String(text)}\n---\n${frame}`);
      }
    },
    { timeout: 10_000, interval: 5 },
  );
  return frame;
}

/** Keys as a terminal sends them. */
export const KEY = {
  enter: '\r',
  escape: '\u001B',
  up: '\u001B[A',
  down: '\u001B[B',
  tab: '\t',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlD: '\u0004',
  ctrlO: '\u000F',
  altEnter: '\u001B\r',
};

export const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
