// The part of the turn in progress that is still changing: the text the
// model streams (its latest rows only), the tool that runs, and a spinner
// with the elapsed time. Everything finished has moved to the transcript.
import { Box, Text } from 'ink';
import { formatDuration } from '../format.js';
import { cleanText } from '../sanitize.js';
import type { LiveTurn as LiveTurnState } from '../state.js';
import { tailRows } from '../tail.js';
import { useTheme } from '../theme.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Rows of streaming reasoning shown while it is folded. */
const FOLDED_REASONING_ROWS = 5;

export interface LiveTurnProps {
  turn: Pick<LiveTurnState, 'startedAt' | 'interrupting'> & Partial<LiveTurnState>;
  /** What is being done when the model streams nothing and no tool runs (a /compact, say). */
  label?: string | undefined;
  /** A line of progress under it (a download's bytes and speed). */
  detail?: string | undefined;
  now: number;
  columns: number;
  /** Rows the streamed text may take. */
  maxRows: number;
  expanded: boolean;
  /** An approval is on screen: the spinner would only distract. */
  waiting: boolean;
}

export function LiveTurn({ turn, label, detail, now, columns, maxRows, expanded, waiting }: LiveTurnProps) {
  const theme = useTheme();
  const stream = turn.stream;
  const rows = stream?.kind === 'reasoning' && !expanded ? Math.min(maxRows, FOLDED_REASONING_ROWS) : maxRows;
  // Two columns for the bullet or indent beside the text.
  const tail = stream ? tailRows(cleanText(stream.text).trim(), columns - 2, Math.max(1, rows)) : undefined;
  const spinner = SPINNER[Math.floor(now / 100) % SPINNER.length];
  const elapsed = formatDuration(Math.max(0, now - turn.startedAt));
  const activity = turn.interrupting
    ? 'Stopping…'
    : turn.tool
      ? cleanText(turn.tool.summary)
      : stream?.kind === 'reasoning'
        ? 'Thinking…'
        : stream?.kind === 'answer'
          ? 'Answering…'
          : (label ?? 'Working…');
  return (
    <Box flexDirection="column">
      {stream && tail && tail.text !== '' && (
        <Box flexDirection="column" paddingLeft={2}>
          {stream.kind === 'reasoning' && <Text dimColor>thinking{tail.cut ? ' (latest lines)' : ''}</Text>}
          <Text dimColor={stream.kind === 'reasoning'} italic={stream.kind === 'reasoning'} wrap="wrap">
            {tail.text}
          </Text>
        </Box>
      )}
      {!waiting && (
        <Text>
          <Text color={theme.accent}>{spinner}</Text> {activity}{' '}
          <Text dimColor>{turn.interrupting ? `(${elapsed})` : `(${elapsed} · esc to interrupt)`}</Text>
        </Text>
      )}
      {!waiting && detail && (
        <Box paddingLeft={2}>
          <Text dimColor wrap="truncate-end">
            {cleanText(detail)}
          </Text>
        </Box>
      )}
    </Box>
  );
}
