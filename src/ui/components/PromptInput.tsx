// The input box: the text with its cursor, laid out in rows of the box's
// width; a window of rows around the cursor when the text is long (a big
// paste never pushes the screen around); completion below it.
import { Box, Text } from 'ink';
import type { Suggestion } from '../completion.js';
import { layoutInput, windowStart } from '../input-layout.js';
import type { EditorText } from '../text-edit.js';
import { useTheme } from '../theme.js';

export const PROMPT_PLACEHOLDER = 'Ask gpt-oss to do something, or type / for commands';

export interface PromptInputProps {
  value: EditorText;
  suggestions: Suggestion[];
  selected: number;
  columns: number;
  /** Rows the text may take before it scrolls. */
  maxRows: number;
  /** A turn is running: Enter queues the prompt. */
  busy: boolean;
}

export function PromptInput({ value, suggestions, selected, columns, maxRows, busy }: PromptInputProps) {
  const theme = useTheme();
  // Border (2), padding (2) and the prompt sign (2).
  const width = Math.max(4, columns - 6);
  const { rows, cursorRow, cursorOffset } = layoutInput(value.text, value.cursor, width);
  const height = Math.max(1, maxRows);
  const first = windowStart(rows.length, cursorRow, height);
  const shown = rows.slice(first, first + height);
  const above = first;
  const below = rows.length - first - shown.length;
  return (
    <Box flexDirection="column" width={columns}>
      <Box borderStyle="round" borderColor={busy ? undefined : theme.accent} borderDimColor={busy} paddingX={1}>
        <Box width={2} flexShrink={0}>
          <Text color={theme.accent} bold>
            ›
          </Text>
        </Box>
        <Box flexDirection="column" flexGrow={1}>
          {above > 0 && <Text dimColor>↑ {above} more lines</Text>}
          {value.text === '' ? (
            <Text>
              <Text inverse> </Text>
              <Text dimColor>
                {busy ? 'Type your next prompt; it is sent when this turn ends' : PROMPT_PLACEHOLDER}
              </Text>
            </Text>
          ) : (
            shown.map((row, index) =>
              first + index === cursorRow ? (
                <CursorRow key={index} row={row} offset={cursorOffset} />
              ) : (
                <Text key={index}>{row === '' ? ' ' : row}</Text>
              ),
            )
          )}
          {below > 0 && <Text dimColor>↓ {below} more lines</Text>}
        </Box>
      </Box>
      {suggestions.length > 0 && <Completion suggestions={suggestions} selected={selected} />}
    </Box>
  );
}

function CursorRow({ row, offset }: { row: string; offset: number }) {
  const at = Array.from(row.slice(offset))[0];
  return (
    <Text>
      {row.slice(0, offset)}
      <Text inverse>{at ?? ' '}</Text>
      {at === undefined ? '' : row.slice(offset + at.length)}
    </Text>
  );
}

/** Completion rows shown at once. */
const MENU_ROWS = 8;

function Completion({ suggestions, selected }: { suggestions: Suggestion[]; selected: number }) {
  const theme = useTheme();
  const start = Math.min(Math.max(0, selected - MENU_ROWS + 1), Math.max(0, suggestions.length - MENU_ROWS));
  const width = Math.max(...suggestions.map((suggestion) => suggestion.label.length)) + 2;
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {suggestions.slice(start, start + MENU_ROWS).map((suggestion, index) => {
        const active = start + index === selected;
        return (
          <Box key={suggestion.value} flexDirection="row">
            <Box width={width} flexShrink={0}>
              <Text color={active ? theme.accent : undefined} bold={active} inverse={active && !theme.accent}>
                {suggestion.label}
              </Text>
            </Box>
            {suggestion.summary && (
              <Text dimColor wrap="truncate-end">
                {suggestion.summary}
              </Text>
            )}
          </Box>
        );
      })}
      <Text dimColor>tab completes · enter runs · esc closes</Text>
    </Box>
  );
}
