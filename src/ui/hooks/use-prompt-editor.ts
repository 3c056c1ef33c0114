// The prompt being typed: editing keys, multi-line input (Alt-Enter, Ctrl-J,
// or a backslash before Enter), bracketed pastes, history on up/down, and
// slash-command completion. The state lives here so it survives while an
// approval dialog takes the input's place.
import type { Key } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import { mentionAt, suggest, suggestFiles, type Suggestion } from '../completion.js';
import { cleanText } from '../sanitize.js';
import type { SlashCommandInfo } from '../session.js';
import * as edit from '../text-edit.js';
import type { EditorText } from '../text-edit.js';

export interface PromptEditor {
  value: EditorText;
  /** Completion offered now (empty when closed). */
  suggestions: Suggestion[];
  selected: number;
  /** Handles one key; returns false when the key is not the editor's. */
  handle(input: string, key: Key): boolean;
  /** Whether the input is empty now (keys may arrive faster than renders). */
  isEmpty(): boolean;
  clear(): void;
}

export interface PromptEditorOptions {
  commands: readonly SlashCommandInfo[];
  history: () => readonly string[];
  onSubmit: (text: string) => void;
  /** The repository's files, for @mentions; asked for when the first @ is typed. */
  files?: (() => Promise<readonly string[]>) | undefined;
}

// Bracketed paste markers, as they reach useInput once the escape is stripped.
const PASTE_START = '[200~';
const PASTE_END = '[201~';

export function usePromptEditor({ commands, history, onSubmit, files }: PromptEditorOptions): PromptEditor {
  // Refs hold the truth: keys typed ahead arrive together, faster than React renders.
  // The state mirrors them so that a change re-renders.
  const [value, setValue] = useState<EditorText>(edit.emptyText);
  const [selected, setSelectedState] = useState(0);
  const [dismissed, setDismissed] = useState<string | undefined>(undefined);
  const valueRef = useRef(value);
  const selectedRef = useRef(0);
  const dismissedRef = useRef<string | undefined>(undefined);
  const pasting = useRef(false);
  const historyIndex = useRef(-1);
  const draft = useRef<EditorText>(edit.emptyText);
  // The file list arrives once, after the first @; the state only re-renders when it does.
  const fileList = useRef<readonly string[] | undefined>(undefined);
  const [filesLoaded, setFilesLoaded] = useState(0);
  const filesAsked = useRef(false);

  /** Completion for a text: slash commands, or files for an @mention at its end. */
  const completions = useCallback(
    (text: string): Suggestion[] => {
      if (text.startsWith('/')) return suggest(text, commands);
      if (!mentionAt(text)) return [];
      if (!filesAsked.current && files) {
        filesAsked.current = true;
        void files().then(
          (list) => {
            fileList.current = list;
            setFilesLoaded((count) => count + 1);
          },
          () => undefined,
        );
      }
      return suggestFiles(text, fileList.current ?? []);
    },
    [commands, files],
  );

  const suggestions = useMemo(
    () => (dismissed === value.text ? [] : completions(value.text)),
    // filesLoaded: the list arrived, the same text now has suggestions.
    [value.text, completions, dismissed, filesLoaded],
  );

  const select = useCallback((index: number) => {
    selectedRef.current = index;
    setSelectedState(index);
  }, []);

  const update = useCallback(
    (next: EditorText) => {
      if (next.text !== valueRef.current.text) select(0);
      valueRef.current = next;
      setValue(next);
    },
    [select],
  );

  const clear = useCallback(() => {
    historyIndex.current = -1;
    update(edit.emptyText);
  }, [update]);

  const recall = useCallback(
    (direction: 1 | -1) => {
      const entries = history();
      const index = historyIndex.current + direction;
      if (index < -1 || index >= entries.length) return;
      if (historyIndex.current === -1) draft.current = valueRef.current;
      historyIndex.current = index;
      const text = index === -1 ? draft.current.text : entries[entries.length - 1 - index]!;
      update({ text, cursor: text.length });
    },
    [history, update],
  );

  /** The completion offered for the text as it is now, and the one selected. */
  const offered = useCallback(() => {
    const text = valueRef.current.text;
    const options = dismissedRef.current === text ? [] : completions(text);
    return { options, choice: options[Math.min(selectedRef.current, options.length - 1)] };
  }, [completions]);

  /** Enter: a new line (Alt-Enter, or after a backslash), else the selected completion, else submit. */
  const enter = useCallback(
    (alt: boolean) => {
      const now = valueRef.current;
      if (alt) return update(edit.insert(now, '\n'));
      if (now.text[now.cursor - 1] === '\\') return update(edit.insert(edit.backspace(now), '\n'));
      const { choice } = offered();
      const completes = choice !== undefined && choice.value.trimEnd() !== now.text.trimEnd();
      // A command that takes an argument is completed, not run.
      if (completes && choice.value.endsWith(' ')) return update({ text: choice.value, cursor: choice.value.length });
      const text = completes ? choice.value : now.text;
      clear();
      if (text.trim() !== '') onSubmit(text);
    },
    [update, offered, clear, onSubmit],
  );

  const handle = useCallback(
    (input: string, key: Key): boolean => {
      if (input === PASTE_START || input === PASTE_END) {
        pasting.current = input === PASTE_START;
        return true;
      }
      if (pasting.current) {
        update(edit.insert(valueRef.current, key.return ? '\n' : cleanText(input)));
        return true;
      }
      // Keys typed ahead arrive as one chunk: each CR in it is an Enter. So is a LF there: keys typed before the
      // terminal was in raw mode (while the program started) come as a line the terminal already turned CR into
      // LF in. A LF alone is Ctrl-J, a new line.
      if (!key.return && input.length > 1 && /[\r\n]/.test(input)) {
        input.split(/\r\n|\r|\n/).forEach((part, index) => {
          if (index > 0) enter(false);
          if (part) update(edit.insert(valueRef.current, cleanText(part)));
        });
        return true;
      }
      if (key.return) return (enter(key.meta), true);
      const current = valueRef.current;
      const { options, choice } = offered();
      if (key.tab) {
        if (choice) update({ text: choice.value, cursor: choice.value.length });
        return true;
      }
      if (key.escape) {
        if (options.length === 0) return false;
        dismissedRef.current = current.text;
        setDismissed(current.text);
        return true;
      }
      if (key.upArrow || key.downArrow) {
        const step = key.upArrow ? -1 : 1;
        if (options.length > 1) return (select((selectedRef.current + step + options.length) % options.length), true);
        const moved = key.upArrow ? edit.up(current) : edit.down(current);
        if (moved) update(moved);
        else recall(key.upArrow ? 1 : -1);
        return true;
      }
      const next = editingKey(current, input, key);
      if (next === undefined) return false;
      update(next);
      return true;
    },
    [update, enter, offered, select, recall],
  );

  const isEmpty = useCallback(() => valueRef.current.text === '', []);
  return {
    value,
    suggestions,
    selected: Math.min(selected, Math.max(0, suggestions.length - 1)),
    handle,
    isEmpty,
    clear,
  };
}

/** The editing keys shared by every text field (the prompt and the feedback line). */
export function editingKey(current: EditorText, input: string, key: Key): EditorText | undefined {
  if (key.leftArrow) return key.ctrl || key.meta ? edit.wordLeft(current) : edit.left(current);
  if (key.rightArrow) return key.ctrl || key.meta ? edit.wordRight(current) : edit.right(current);
  if (key.home) return edit.lineStart(current);
  if (key.end) return edit.lineEnd(current);
  // Most terminals send DEL for Backspace, which Ink reports as `delete`.
  if (key.backspace || key.delete) return key.meta ? edit.deleteWordBefore(current) : edit.backspace(current);
  if (key.ctrl) {
    switch (input) {
      case 'a':
        return edit.lineStart(current);
      case 'e':
        return edit.lineEnd(current);
      case 'b':
        return edit.left(current);
      case 'f':
        return edit.right(current);
      case 'u':
        return edit.killBefore(current);
      case 'k':
        return edit.killAfter(current);
      case 'w':
        return edit.deleteWordBefore(current);
      case 'd':
        return current.text === '' ? undefined : edit.deleteForward(current);
      default:
        return undefined;
    }
  }
  if (key.meta && input === 'b') return edit.wordLeft(current);
  if (key.meta && input === 'f') return edit.wordRight(current);
  if (key.meta || key.escape || input === '') return undefined;
  // Ctrl-J arrives as a line feed: a new line, not a submit. Pastes without
  // bracketing arrive whole, their line breaks as CR.
  return edit.insert(current, cleanText(input));
}
