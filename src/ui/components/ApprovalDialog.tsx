// The question under a proposed change or command (whose diff or command
// line was just printed above it): y applies, a applies and allows this kind
// of action for the session, n rejects and asks for words for the model.
import { Box, Text, type Key as InkKey } from 'ink';
import { useRef, useState } from 'react';
import type { ApprovalRequest } from '../../agent/events.js';
import { editingKey } from '../hooks/use-prompt-editor.js';
import { useDialogInput } from '../hooks/use-dialog-input.js';
import { hasHiddenCharacters } from '../reveal.js';
import type { ApprovalAnswer } from '../session.js';
import { emptyText, type EditorText } from '../text-edit.js';
import { useTheme } from '../theme.js';
import { Revealed } from './Revealed.js';
import { TextField } from './TextField.js';

export interface ApprovalDialogProps {
  request: ApprovalRequest;
  /** What "always" allows, e.g. "edits" or "commands starting with npm test"; undefined: no "always" offered. */
  alwaysLabel: string | undefined;
  onAnswer(answer: ApprovalAnswer): void;
  /**
   * True while the user is still in the middle of typing something else (the
   * next prompt, as the dialog appeared): a stray "y" must not approve.
   */
  typing?: () => boolean;
  isActive?: boolean;
}

export function ApprovalDialog({ request, alwaysLabel, onAnswer, typing, isActive = true }: ApprovalDialogProps) {
  const theme = useTheme();
  const [asking, setAsking] = useState(false);
  const [feedback, setFeedback] = useState<EditorText>(emptyText);
  // Refs hold the truth: "n", words and Enter typed ahead arrive as one chunk, or
  // as several before the next render.
  const askingRef = useRef(false);
  const feedbackRef = useRef<EditorText>(emptyText);
  const answered = useRef(false);

  const answer = (value: ApprovalAnswer, rest: string) => {
    answered.current = true;
    onAnswer(value);
    return rest || undefined;
  };

  /** Keys for the feedback line; Enter sends it. */
  const feedbackKey = (input: string, key: InkKey) => {
    const enter = key.return ? 0 : input.indexOf('\r');
    const typed = enter === -1 ? input : input.slice(0, enter);
    const next = typed ? (editingKey(feedbackRef.current, typed, key) ?? feedbackRef.current) : feedbackRef.current;
    feedbackRef.current = next;
    setFeedback(next);
    if (enter === -1) return;
    const words = next.text.trim();
    return answer({ approved: false, ...(words ? { feedback: words } : {}) }, key.return ? '' : input.slice(enter + 1));
  };

  useDialogInput(
    (input, key) => {
      if (answered.current) return input;
      if (askingRef.current) return feedbackKey(input, key);
      if (key.ctrl || key.meta || input === '') return;
      if (typing?.()) return;
      const rest = input.slice(1);
      switch (input[0]!.toLowerCase()) {
        case 'y':
          return answer({ approved: true }, rest);
        case 'a':
          if (alwaysLabel !== undefined) return answer({ approved: true, always: true }, rest);
          return;
        case 'p':
          if (alwaysLabel !== undefined && request.kind === 'exec')
            return answer({ approved: true, always: true, forProject: true }, rest);
          return;
        case 'n':
          askingRef.current = true;
          setAsking(true);
          return rest ? feedbackKey(rest, key) : undefined;
      }
    },
    { isActive },
  );

  const question = request.commit
    ? 'Make this commit?'
    : request.mcp
      ? 'Call this MCP tool?'
      : request.kind === 'edit'
        ? 'Apply this change?'
        : 'Run this command?';
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.warning} paddingX={1}>
      {/* The command itself is printed just above, as the line that runs: not repeated here. */}
      {request.kind === 'exec' ? (
        <Text bold wrap="wrap">
          {question}{' '}
          {request.mcp && (
            <Text dimColor>
              <Revealed text={request.title} newlines />{' '}
            </Text>
          )}
          <Text color={request.sandboxed ? theme.success : theme.error}>
            {request.sandboxed ? '(sandboxed)' : '(NOT sandboxed)'}
          </Text>
        </Text>
      ) : (
        <Text bold wrap="wrap">
          {question}{' '}
          <Text dimColor>
            <Revealed text={request.title} newlines />
          </Text>
        </Text>
      )}
      {request.warning && (
        <Text color={theme.warning}>
          ⚠ <Revealed text={request.warning} />
        </Text>
      )}
      {hidden(request) && (
        <Text color={theme.error} wrap="wrap">
          ⚠ holds invisible or direction-changing characters, shown as \uXXXX: check what it really says
        </Text>
      )}
      {asking ? (
        <Box flexDirection="column">
          <Text>Tell the model why, or what to do instead (Enter sends):</Text>
          <TextField value={feedback} placeholder="optional" />
        </Box>
      ) : (
        <Text wrap="wrap">
          <Key>y</Key> yes · <Key>n</Key> no, say why
          {alwaysLabel !== undefined && (
            <>
              {' · '}
              <Key>a</Key> always allow {alwaysLabel} this session
            </>
          )}
          {alwaysLabel !== undefined && request.kind === 'exec' && (
            <>
              {' · '}
              <Key>p</Key> and in this project from now on
            </>
          )}
          <Text dimColor> · esc stops the turn</Text>
        </Text>
      )}
    </Box>
  );
}

/** Whether anything the user is asked about would not be seen as it is. */
function hidden(request: ApprovalRequest): boolean {
  return (
    hasHiddenCharacters(request.title, { newlines: true }) ||
    hasHiddenCharacters(request.command ?? '') ||
    hasHiddenCharacters(request.diff ?? '') ||
    (request.files ?? []).some((file) => hasHiddenCharacters(file.path, { newlines: true })) ||
    hasHiddenCharacters(request.commit?.message ?? '')
  );
}

function Key({ children }: { children: string }) {
  const theme = useTheme();
  return (
    <Text bold color={theme.accent}>
      {children}
    </Text>
  );
}
