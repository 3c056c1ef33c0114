// A unified diff as the user reviews it: per file a header with its +/−
// counts, then each line with its line number, sign and colour. Long lines
// wrap inside their column instead of pushing the layout apart.
import { Box, Text } from 'ink';
import { parseUnifiedDiff, type DiffFile, type DiffLine, type FileChange } from '../diff-lines.js';
import { Revealed } from './Revealed.js';
import { useTheme } from '../theme.js';

/** Lines shown before the rest is summarised: a huge new file would flood the screen. */
export const DEFAULT_MAX_DIFF_LINES = 400;

const VERB: Record<FileChange, string> = { add: 'Add', update: 'Update', delete: 'Delete', move: 'Move' };

export function DiffView({ diff, maxLines = DEFAULT_MAX_DIFF_LINES }: { diff: string; maxLines?: number }) {
  const files = parseUnifiedDiff(diff);
  let budget = maxLines;
  return (
    <Box flexDirection="column">
      {files.map((file, index) => {
        const shown = file.lines.slice(0, Math.max(0, budget));
        budget -= shown.length;
        return <FileDiff key={index} file={file} lines={shown} hidden={file.lines.length - shown.length} />;
      })}
    </Box>
  );
}

function FileDiff({ file, lines, hidden }: { file: DiffFile; lines: DiffLine[]; hidden: number }) {
  const theme = useTheme();
  const numbered = lines.filter((line) => 'number' in line) as Extract<DiffLine, { number: number }>[];
  const gutter = String(Math.max(1, ...numbered.map((line) => line.number))).length;
  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>
          {VERB[file.change]} <Revealed text={file.path} newlines />
        </Text>{' '}
        <Text color={theme.added}>+{file.added}</Text> <Text color={theme.removed}>−{file.removed}</Text>
      </Text>
      {lines.map((line, index) =>
        // The first hunk's header says nothing the line numbers do not; later ones mark a gap.
        index === 0 && line.kind === 'hunk' ? null : <DiffRow key={index} line={line} gutter={gutter} />,
      )}
      {hidden > 0 && <Text dimColor>… {hidden} more lines not shown</Text>}
    </Box>
  );
}

function DiffRow({ line, gutter }: { line: DiffLine; gutter: number }) {
  const theme = useTheme();
  if (line.kind === 'hunk' || line.kind === 'note') {
    return (
      <Text color={theme.hunk} dimColor wrap="truncate-end">
        {' '.repeat(gutter + 1)}
        {line.kind === 'hunk' ? '⋯' : line.text}
      </Text>
    );
  }
  const sign = line.kind === 'add' ? '+' : line.kind === 'remove' ? '-' : ' ';
  const color = line.kind === 'add' ? theme.added : line.kind === 'remove' ? theme.removed : undefined;
  return (
    <Box flexDirection="row">
      <Box width={gutter + 1} flexShrink={0}>
        <Text dimColor>{String(line.number).padStart(gutter)}</Text>
      </Box>
      <Box width={2} flexShrink={0}>
        <Text color={color}>{sign}</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1}>
        <Text color={color} dimColor={line.kind === 'context'} wrap="wrap">
          {line.text ? <Revealed text={line.text} /> : ' '}
        </Text>
      </Box>
    </Box>
  );
}
