// The Markdown libraries, loaded once when first wanted. Until they are
// settled, answers wait to be printed (that is rarely noticeable: loading
// starts with the first prompt); if loading fails, answers show as plain text.
import { useEffect, useState } from 'react';
import type { MarkdownLibraries } from '../markdown/MarkdownView.js';

export interface MarkdownState {
  libraries?: MarkdownLibraries;
  settled: boolean;
}

export function useMarkdown(wanted: boolean, load: () => Promise<MarkdownLibraries>): MarkdownState {
  const [state, setState] = useState<MarkdownState>({ settled: false });
  const [started, setStarted] = useState(false);
  useEffect(() => {
    if (!wanted || started) return;
    setStarted(true);
    load().then(
      (libraries) => setState({ libraries, settled: true }),
      () => setState({ settled: true }),
    );
  }, [wanted, started, load]);
  return state;
}
