// The terminal UI: the transcript of finished items (printed once, through
// Ink's <Static>), then the live area: the turn in progress, a dialog or the
// input, and the status line. It folds the session's events with the pure
// reducer and answers through the session; it never calls the agent.
import { Box, Static, Text, useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ApprovalDialog } from './components/ApprovalDialog.js';
import { ChoiceDialog } from './components/ChoiceDialog.js';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { LiveTurn } from './components/LiveTurn.js';
import { PromptInput } from './components/PromptInput.js';
import { StatusLine } from './components/StatusLine.js';
import { TranscriptEntry } from './components/TranscriptEntry.js';
import { useClock } from './hooks/use-clock.js';
import { DialogInputContext, type KeyHandler } from './hooks/use-dialog-input.js';
import { useMarkdown } from './hooks/use-markdown.js';
import { usePromptEditor } from './hooks/use-prompt-editor.js';
import { useStableInput } from './hooks/use-stable-input.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { loadMarkdownLibraries } from './markdown/load-markdown.js';
import type { MarkdownLibraries } from './markdown/MarkdownView.js';
import { cleanText } from './sanitize.js';
import type { UiSession } from './session.js';
import { initialState, reduce, type ViewAction, type ViewState } from './state.js';
import { ThemeContext, type Theme } from './theme.js';

/** Clears the screen and its scrollback, so the transcript can be printed again from the top. */
const CLEAR_SCREEN = '\u001B[2J\u001B[3J\u001B[H';
/** How long a second Ctrl-C counts as "exit". */
const EXIT_WINDOW_MS = 2000;
/** Quiet time after the last resize before the transcript is printed again. */
const REPRINT_DELAY_MS = 150;
/** Keys closer together than this are typing, not an answer to a dialog that just appeared. */
const TYPING_GAP_MS = 500;

export interface AppProps {
  session: UiSession;
  theme: Theme;
  welcome: { version: string; cwd: string };
  /** Milliseconds; injected by tests. */
  now?: () => number;
  loadMarkdown?: () => Promise<MarkdownLibraries>;
}

interface Stamped {
  action: ViewAction;
  at: number;
}

const fold = (state: ViewState, { action, at }: Stamped) => reduce(state, action, at);
const defaultNow = () => performance.now();

export function App({ session, theme, welcome, now = defaultNow, loadMarkdown = loadMarkdownLibraries }: AppProps) {
  const [state, dispatch] = useReducer(fold, welcome, initialState);
  const { write } = useStdout();
  const { columns, rows } = useTerminalSize();
  const [submitted, setSubmitted] = useState(false);
  const [exitHint, setExitHint] = useState(false);
  const exitArmedAt = useRef<number | undefined>(undefined);
  const lastBusyKeyAt = useRef(Number.NEGATIVE_INFINITY);
  const dialogInput = useRef<KeyHandler | undefined>(undefined);

  useEffect(
    () =>
      session.subscribe((event) => {
        if (event.type === 'transcript.cleared') write(CLEAR_SCREEN);
        dispatch({ action: event, at: now() });
      }),
    [session, write, now],
  );

  // The terminal rewraps what it shows when its width changes, which garbles the lines Ink
  // redraws; once resizing settles, clear the screen and print everything again.
  const firstColumns = useRef(columns);
  useEffect(() => {
    if (columns === firstColumns.current) return;
    const timer = setTimeout(() => {
      firstColumns.current = columns;
      write(CLEAR_SCREEN);
      dispatch({ action: { type: 'view.reprint' }, at: now() });
    }, REPRINT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [columns, write, now]);

  useEffect(() => {
    if (!exitHint) return;
    const timer = setTimeout(() => setExitHint(false), EXIT_WINDOW_MS);
    return () => clearTimeout(timer);
  }, [exitHint]);

  const busy = state.turn !== undefined || state.task !== undefined;
  // Loaded with the first prompt, or the first answer (a prompt given on the command line).
  const markdown = useMarkdown(submitted || busy || state.items.some((item) => item.kind === 'answer'), loadMarkdown);
  const time = useClock(busy, now);
  const onSubmit = useCallback(
    (text: string) => {
      setSubmitted(true);
      session.submit(text);
    },
    [session],
  );
  const history = useCallback(() => session.history(), [session]);
  const files = useMemo(() => (session.files ? () => session.files!() : undefined), [session]);
  const editor = usePromptEditor({ commands: session.commands, history, onSubmit, files });
  const dialogOpen = state.approval !== undefined || state.confirm !== undefined || state.choice !== undefined;

  useStableInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (!editor.isEmpty() && !dialogOpen) return editor.clear();
      const at = now();
      if (exitArmedAt.current !== undefined && at - exitArmedAt.current < EXIT_WINDOW_MS) return session.exit();
      exitArmedAt.current = at;
      setExitHint(true);
      if (busy) session.interrupt();
      return;
    }
    if (key.ctrl && input === 'd' && (editor.isEmpty() || dialogOpen)) return session.exit();
    if (key.ctrl && input === 'o') {
      write(CLEAR_SCREEN);
      return dispatch({ action: { type: 'view.toggleExpanded' }, at: now() });
    }
    if (dialogOpen) {
      if (key.escape && state.approval) session.interrupt();
      // The dialog takes it from here (and tracks typing through `typing`). Once it has
      // answered, keys that came in the same burst are the prompt's.
      const rest = dialogInput.current?.(input, key);
      if (rest === undefined) return;
      input = rest;
    }
    if (busy) lastBusyKeyAt.current = now();
    if (editor.handle(input, key)) return;
    if (key.escape && busy) session.interrupt();
  });

  const typing = useCallback(() => {
    const at = now();
    const recent = at - lastBusyKeyAt.current < TYPING_GAP_MS;
    lastBusyKeyAt.current = at;
    return recent;
  }, [now]);

  // Answers wait for the Markdown renderer (loading starts with the first prompt).
  const unready = markdown.settled ? -1 : state.items.findIndex((item) => item.kind === 'answer');
  const printable = unready === -1 ? state.items : state.items.slice(0, unready);
  const inputRows = Math.max(1, Math.min(10, Math.floor(rows / 4)));
  // Keep the live area shorter than the terminal, or Ink redraws the whole screen each frame.
  const streamRows = Math.max(2, rows - inputRows - 12 - state.queued.length);

  return (
    <ThemeContext.Provider value={theme}>
      <Static key={state.epoch} items={printable}>
        {(item) => (
          <Box key={`${state.epoch}-${item.id}`} flexDirection="column" width={columns}>
            <TranscriptEntry item={item} expanded={state.expanded} markdown={markdown.libraries} />
          </Box>
        )}
      </Static>
      <Box flexDirection="column" marginTop={1}>
        {(state.turn ?? state.task) && (
          <LiveTurn
            turn={(state.turn ?? state.task)!}
            label={state.task?.label}
            detail={state.task?.detail}
            now={time}
            columns={columns}
            maxRows={streamRows}
            expanded={state.expanded}
            waiting={state.approval !== undefined}
          />
        )}
        {state.queued.map((text, index) => (
          <Text key={index} dimColor wrap="truncate-end">
            ⏎ queued: {cleanText(text).replace(/\n/g, ' ')}
          </Text>
        ))}
        <DialogInputContext.Provider value={dialogInput}>
          {state.approval ? (
            <ApprovalDialog
              key={state.approval.id}
              request={state.approval.request}
              alwaysLabel={session.describeAlways(state.approval.request)}
              onAnswer={(answer) => session.answerApproval(answer)}
              typing={typing}
            />
          ) : state.confirm ? (
            <ConfirmDialog
              key={state.confirm.id}
              title={state.confirm.title}
              body={state.confirm.body}
              onAnswer={(yes) => session.answerConfirm(state.confirm!.id, yes)}
            />
          ) : state.choice ? (
            <ChoiceDialog
              key={state.choice.id}
              title={state.choice.title}
              body={state.choice.body}
              options={state.choice.options}
              cancel={state.choice.cancel}
              onAnswer={(index) => session.answerChoice(state.choice!.id, index)}
            />
          ) : (
            <PromptInput
              value={editor.value}
              suggestions={editor.suggestions}
              selected={editor.selected}
              columns={columns}
              maxRows={inputRows}
              busy={busy}
            />
          )}
        </DialogInputContext.Provider>
        <StatusLine status={state.status} />
        {exitHint && <Text dimColor> Press Ctrl-C again to exit.</Text>}
      </Box>
    </ThemeContext.Provider>
  );
}
