// A choice among a few options from the session itself, outside the agent's
// turn (which saved session to continue): ↑/↓ move, enter picks, esc does
// what `cancel` says. A long list shows a window around the selected row.
import { Box, Text } from 'ink';
import { useRef, useState } from 'react';
import { useDialogInput } from '../hooks/use-dialog-input.js';
import { cleanText } from '../sanitize.js';
import type { ChoiceOption } from '../session.js';
import { useTheme } from '../theme.js';

/** Rows shown at once. */
export const CHOICE_ROWS = 8;

export interface ChoiceDialogProps {
  title: string;
  /** Shown under the title, e.g. what trusting a config would change. */
  body?: string | undefined;
  options: readonly ChoiceOption[];
  /** What esc does, e.g. "start a new session". */
  cancel: string;
  /** The index chosen, or undefined for esc. */
  onAnswer(index: number | undefined): void;
  isActive?: boolean;
}

export function ChoiceDialog({ title, body, options, cancel, onAnswer, isActive = true }: ChoiceDialogProps) {
  const theme = useTheme();
  const [selected, setSelected] = useState(0);
  // Refs hold the truth: Down and Enter may arrive before the next render.
  const selectedRef = useRef(0);
  const answered = useRef(false);
  const move = (step: number) => {
    selectedRef.current = (selectedRef.current + step + options.length) % options.length;
    setSelected(selectedRef.current);
  };
  useDialogInput(
    (input, key) => {
      if (answered.current) return input;
      if (key.upArrow) move(-1);
      else if (key.downArrow) move(1);
      else if (key.return || key.escape) {
        answered.current = true;
        onAnswer(key.return ? selectedRef.current : undefined);
      }
    },
    { isActive },
  );
  const first = Math.min(
    Math.max(0, selected - Math.floor(CHOICE_ROWS / 2)),
    Math.max(0, options.length - CHOICE_ROWS),
  );
  const shown = options.slice(first, first + CHOICE_ROWS);
  const below = options.length - first - shown.length;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold wrap="wrap">
        {cleanText(title)}
      </Text>
      {body && <Text wrap="wrap">{cleanText(body)}</Text>}
      {first > 0 && <Text dimColor>↑ {first} more</Text>}
      {shown.map((option, offset) => {
        const active = first + offset === selected;
        return (
          <Text key={first + offset} wrap="truncate-end" inverse={active}>
            {active ? '› ' : '  '}
            {cleanText(option.label)}
            {option.detail && <Text dimColor={!active}> · {cleanText(option.detail)}</Text>}
          </Text>
        );
      })}
      {below > 0 && <Text dimColor>↓ {below} more</Text>}
      <Text>
        <Text bold color={theme.accent}>
          ↑/↓
        </Text>{' '}
        move{' '}
        <Text bold color={theme.accent}>
          enter
        </Text>{' '}
        choose{' '}
        <Text bold color={theme.accent}>
          esc
        </Text>{' '}
        {cancel}
      </Text>
    </Box>
  );
}
