// The line under the input: the model and where it runs (or its loading
// progress, or its reading of the conversation ahead of the next prompt), context used, last speed, approval mode, sandbox, git branch.
// Segments wrap as wholes on a narrow terminal.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { formatTokens } from '../format.js';
import { cleanText } from '../sanitize.js';
import type { StatusView } from '../state.js';
import { useTheme } from '../theme.js';

export function StatusLine({ status }: { status: StatusView }) {
  const theme = useTheme();
  const { info, model, git } = status;
  const segments: ReactNode[] = [];

  const name = info?.model ? cleanText(info.model) : 'model';
  // Until a server names its model, its address stands in for the name: not shown twice.
  const where = info?.backend && info.backend !== info.model ? ` @ ${cleanText(info.backend)}` : '';
  switch (model.state) {
    case 'starting':
      segments.push(<Text dimColor>starting…</Text>);
      break;
    case 'absent':
      segments.push(<Text color={theme.warning}>no model yet</Text>);
      break;
    case 'loading':
      segments.push(
        <Text color={theme.warning}>
          loading {name} {Math.round(model.progress * 100)}%{model.message ? ` ${cleanText(model.message)}` : ''}
        </Text>,
      );
      break;
    case 'failed':
      segments.push(
        <Text color={theme.error}>
          {name}
          {where}: {model.error.short ? cleanText(model.error.short) : 'failed'}
        </Text>,
      );
      break;
    case 'ready':
      segments.push(
        <Text>
          {name}
          <Text dimColor>
            {where}
            {model.device ? ` (${cleanText(model.device)})` : ''}
          </Text>
        </Text>,
      );
      // Work done while the user types: worth a glance, never a warning.
      if (model.preparing && model.preparing.total > 0) {
        segments.push(
          <Text dimColor>reading context {Math.floor((model.preparing.done / model.preparing.total) * 100)}%</Text>,
        );
      }
      break;
  }

  if (status.contextTokens !== undefined) {
    const size = status.contextSize;
    const percent = size ? Math.round((status.contextTokens / size) * 100) : undefined;
    const color =
      percent === undefined ? undefined : percent >= 90 ? theme.error : percent >= 75 ? theme.warning : undefined;
    segments.push(
      <Text color={color} dimColor={color === undefined}>
        ctx {formatTokens(status.contextTokens)}
        {size ? `/${formatTokens(size)} (${percent}%)` : ''}
      </Text>,
    );
  }
  if (status.tokensPerSecond !== undefined) {
    segments.push(<Text dimColor>{status.tokensPerSecond.toFixed(status.tokensPerSecond < 10 ? 1 : 0)} tok/s</Text>);
  }
  if (info?.approvalMode) segments.push(<Text dimColor>{info.approvalMode}</Text>);
  if (info?.sandbox) segments.push(<Text dimColor>sandbox: {info.sandbox}</Text>);
  if (git) {
    segments.push(
      <Text dimColor>
        git: {cleanText(git.branch)}
        {git.dirty ? '*' : ''}
      </Text>,
    );
  }

  return (
    <Box flexDirection="row" flexWrap="wrap" paddingX={1}>
      {segments.map((segment, index) => (
        <Box key={index}>
          {index > 0 && <Text dimColor> · </Text>}
          {segment}
        </Box>
      ))}
    </Box>
  );
}
