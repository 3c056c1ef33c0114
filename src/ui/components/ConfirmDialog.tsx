// A yes/no question from the session itself, outside the agent's turn (for
// example whether to download the model at first start).
import { Box, Text } from 'ink';
import { useRef } from 'react';
import { useDialogInput } from '../hooks/use-dialog-input.js';
import { cleanText } from '../sanitize.js';
import { useTheme } from '../theme.js';

export interface ConfirmDialogProps {
  title: string;
  body?: string | undefined;
  onAnswer(yes: boolean): void;
  isActive?: boolean;
}

export function ConfirmDialog({ title, body, onAnswer, isActive = true }: ConfirmDialogProps) {
  const theme = useTheme();
  const answered = useRef(false);
  useDialogInput(
    (input) => {
      if (answered.current) return input;
      // Keys typed ahead arrive as one chunk: a y or n first answers, the rest is not ours.
      // A chunk starting otherwise is other typing ("hey" must not say yes to a download).
      const first = input[0]?.toLowerCase();
      if (first !== 'y' && first !== 'n') return;
      answered.current = true;
      onAnswer(first === 'y');
      return input.slice(1) || undefined;
    },
    { isActive },
  );
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold wrap="wrap">
        {cleanText(title)}
      </Text>
      {body && <Text wrap="wrap">{cleanText(body)}</Text>}
      <Text>
        <Text bold color={theme.accent}>
          y
        </Text>{' '}
        yes{' '}
        <Text bold color={theme.accent}>
          n
        </Text>{' '}
        no
      </Text>
    </Box>
  );
}
