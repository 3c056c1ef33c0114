// A yes/no question from the session itself, outside the agent's turn (for
// example whether to download the model at first start).
import { Box, Text } from 'ink';
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
  useDialogInput(
    (input) => {
      const answer = input.toLowerCase();
      if (answer === 'y') onAnswer(true);
      if (answer === 'n') onAnswer(false);
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
