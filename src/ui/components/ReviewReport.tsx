// A review in the transcript: what was looked at, then the findings grouped
// by file, each with its severity, where it points, why, and the lines of
// the new version it points at ("+" on the lines the change added).
import { Box, Text } from 'ink';
import { cleanText } from '../sanitize.js';
import type { FindingView, ReviewSeverity, ReviewView } from '../review-view.js';
import { useTheme, type Theme } from '../theme.js';

export function ReviewReport({ review }: { review: ReviewView }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>{cleanText(review.heading)}</Text>
      {review.files.map((file, index) => (
        <Text key={index} wrap="wrap">
          {'  '}
          {cleanText(file.line)}
          {file.note && <Text color={theme.warning}> — {cleanText(file.note)}</Text>}
        </Text>
      ))}
      {review.problems.map((problem, index) => (
        <Text key={index} color={theme.warning} wrap="wrap">
          ! {cleanText(problem)}
        </Text>
      ))}
      {review.byFile.map(({ file, findings }) => (
        <Box key={file} flexDirection="column" marginTop={1}>
          <Text bold>{cleanText(file)}</Text>
          {findings.map((finding, index) => (
            <Finding key={index} finding={finding} />
          ))}
        </Box>
      ))}
      {review.setAside.length > 0 && (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Set aside ({review.setAside.length}): findings that did not point into the change:</Text>
          {review.setAside.map((line, index) => (
            <Text key={index} dimColor wrap="wrap">
              {'  '}
              {cleanText(line)}
            </Text>
          ))}
        </Box>
      )}
      <Box marginTop={1}>
        <Text wrap="wrap">
          {cleanText(review.verdict)}
          {!review.complete && <Text color={theme.warning}> The review is incomplete (see above).</Text>}
        </Text>
      </Box>
    </Box>
  );
}

function Finding({ finding }: { finding: FindingView }) {
  const theme = useTheme();
  const gutter = String(finding.excerpt.at(-1)?.line ?? 0).length;
  return (
    <Box flexDirection="column" paddingLeft={2}>
      <Text wrap="wrap">
        <Text bold color={severityColour(finding.severity, theme)} dimColor={finding.severity === 'nit'}>
          {finding.severity.toUpperCase().padEnd(6)}
        </Text>{' '}
        {cleanText(finding.category)} <Text bold>{cleanText(finding.place)}</Text>
        {finding.outside && <Text dimColor> (outside the change)</Text>} {cleanText(finding.title)}
      </Text>
      <Box flexDirection="column" paddingLeft={4}>
        <Text wrap="wrap">{cleanText(finding.explanation)}</Text>
        {finding.excerpt.map(({ line, mark, text }) => (
          <Box key={line} flexDirection="row">
            <Box width={gutter + 5} flexShrink={0}>
              <Text dimColor>
                {String(line).padStart(gutter)} │ {mark}
              </Text>
            </Box>
            <Text color={mark === '+' ? theme.added : undefined} dimColor={mark !== '+'} wrap="wrap">
              {cleanText(text)}
            </Text>
          </Box>
        ))}
        {finding.suggestion && (
          <Box flexDirection="column">
            <Text dimColor>Suggestion:</Text>
            <Box paddingLeft={2}>
              <Text wrap="wrap">{cleanText(finding.suggestion)}</Text>
            </Box>
          </Box>
        )}
      </Box>
    </Box>
  );
}

function severityColour(severity: ReviewSeverity, theme: Theme): string | undefined {
  return severity === 'high'
    ? theme.error
    : severity === 'medium'
      ? theme.warning
      : severity === 'low'
        ? theme.accent
        : undefined;
}
