// The question under a proposed change or command (whose diff or command
// line was just printed above it): y applies, a applies and allows this kind
// of action for the session, n rejects and asks for words for the model.
import { Box, Text } from 'ink';
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
  /** What "always" allows, e.g. "edits" or "commands starting with npm test". */
  alwaysLabel: string;
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
  // The field's truth is the ref: words and Enter typed ahead arrive as one chunk.
  const feedbackRef = useRef<EditorText>(emptyText);

  useDialogInput(
    (input, key) => {
      if (asking) {
        const enter = key.return ? 0 : input.length > 1 ? input.indexOf('\r') : -1;
        const typed = enter === -1 ? input : input.slice(0, enter);
        const next = typed ? (editingKey(feedbackRef.current, typed, key) ?? feedbackRef.current) : feedbackRef.current;
        feedbackRef.current = next;
        setFeedback(next);
        if (enter === -1) return;
        const words = next.text.trim();
        onAnswer({ approved: false, ...(words ? { feedback: words } : {}) });
        return;
      }
      if (typing?.()) return;
      switch (input.toLowerCase()) {
        case 'y':
          onAnswer({ approved: true });
          return;
        case 'a':
          onAnswer({ approved: true, always: true });
          return;
        case 'p':
          if (request.kind === 'exec') onAnswer({ approved: true, always: true, forProject: true });
          return;
        case 'n':
          setAsking(true);
          return;
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
      <Text bold wrap="wrap">
        {question}{' '}
        <Text dimColor>
          <Revealed text={request.title} newlines />
        </Text>
      </Text>
      {request.kind === 'exec' && (
        <Text color={request.sandboxed ? theme.success : theme.error} wrap="wrap">
          {request.sandboxed ? 'sandboxed' : 'NOT sandboxed'}: <Revealed text={request.command ?? ''} />
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
          <Key>y</Key> yes · <Key>n</Key> no, say why · <Key>a</Key> always allow {alwaysLabel} this session
          {request.kind === 'exec' && (
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
