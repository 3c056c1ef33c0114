// While the embedded model loads, a terminal shows how far along it is, so
// a first turn that waits for the weights does not look stuck.
import type { BackendStatus, ModelBackend } from '../model/backend.js';

/** Draws the loading status on `stream` when it is a terminal; returns the function that stops it. */
export function showLoadProgress(
  backend: ModelBackend,
  stream: NodeJS.WritableStream & { isTTY?: boolean },
): () => void {
  if (!stream.isTTY || !backend.onStatus || backend.status?.().state !== 'loading') return () => {};
  let shown = '';
  const clear = () => {
    if (shown) stream.write(`\r${' '.repeat(shown.length)}\r`);
    shown = '';
  };
  const draw = (status: BackendStatus) => {
    if (status.state !== 'loading') {
      clear();
      unsubscribe();
      return;
    }
    const line = `${status.message ?? 'loading the model'}  ${Math.floor(status.progress * 100)}%`;
    stream.write(`\r${line.padEnd(shown.length)}`);
    shown = line;
  };
  const unsubscribe = backend.onStatus(draw);
  return () => {
    unsubscribe();
    clear();
  };
}
