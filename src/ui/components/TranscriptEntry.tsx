// One finished item of the transcript, printed once above the live area.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ApprovalRequest } from '../../agent/events.js';
import { formatDuration } from '../format.js';
import { MarkdownView, type MarkdownLibraries } from '../markdown/MarkdownView.js';
import { cleanText } from '../sanitize.js';
import type { ToolDecision, TranscriptItem } from '../state.js';
import { useTheme } from '../theme.js';
import { DiffView } from './DiffView.js';
import { Revealed } from './Revealed.js';
import { ReviewReport } from './ReviewReport.js';

/** Output lines previewed under a command or test run (ctrl+o shows all of it). */
export const PREVIEW_LINES = 4;
/** Tools whose output is worth a glance inline: what a command or the tests printed. */
const PREVIEWED_TOOLS = new Set(['shell', 'run_tests', 'container.exec', 'user_command']);

export interface TranscriptEntryProps {
  item: TranscriptItem;
  /** Reasoning and tool output in full. */
  expanded: boolean;
  markdown?: MarkdownLibraries | undefined;
}

export function TranscriptEntry({ item, expanded, markdown }: TranscriptEntryProps) {
  const theme = useTheme();
  switch (item.kind) {
    case 'welcome':
      return (
        <Box flexDirection="column">
          <Text>
            <Text bold color={theme.accent}>
              gptoss-agent
            </Text>{' '}
            <Text dimColor>v{item.version}</Text> <Text>{item.cwd}</Text>
          </Text>
          <Text dimColor>/help for commands · esc interrupts · ctrl+o details · ctrl+d quits</Text>
        </Box>
      );
    case 'user':
      return (
        <Box marginTop={1} flexDirection="row">
          <Box width={2} flexShrink={0}>
            <Text color={theme.user} bold>
              ›
            </Text>
          </Box>
          <Text color={theme.user} wrap="wrap">
            {cleanText(item.text)}
          </Text>
        </Box>
      );
    case 'reasoning':
      return <Reasoning text={item.text} durationMs={item.durationMs} expanded={expanded} />;
    case 'preamble':
      return (
        <Bullet mark="•">
          <Text wrap="wrap">{cleanText(item.text)}</Text>
        </Bullet>
      );
    case 'proposal':
      return <Proposal request={item.request} />;
    case 'tool':
      return (
        <Box flexDirection="column">
          <Bullet mark={item.ok ? '●' : '✗'} color={item.ok ? theme.success : theme.error}>
            <Text wrap="wrap">
              {cleanText(item.summary)}
              {item.resultSummary && <Text dimColor> · {cleanText(item.resultSummary)}</Text>}
              <Text dimColor> · {formatDuration(item.durationMs)}</Text>
            </Text>
          </Bullet>
          {item.decision && <Decision decision={item.decision} />}
          {!item.ok && !item.decision?.feedback && (
            <Indented>
              <Text color={theme.warning} wrap="wrap">
                {firstLines(item.output, expanded ? Infinity : PREVIEWED_TOOLS.has(item.name) ? PREVIEW_LINES : 2)}
              </Text>
            </Indented>
          )}
          {item.ok && (expanded || PREVIEWED_TOOLS.has(item.name)) && item.output.trim() !== '' && (
            <Indented>
              <Text dimColor wrap="wrap">
                {firstLines(item.output, expanded ? Infinity : PREVIEW_LINES)}
              </Text>
            </Indented>
          )}
          {item.diff && (
            <Indented>
              <DiffView diff={item.diff} />
            </Indented>
          )}
        </Box>
      );
    case 'answer':
      return (
        <Box marginTop={1} flexDirection="column">
          {markdown ? <MarkdownView text={item.text} libraries={markdown} /> : <Text>{cleanText(item.text)}</Text>}
        </Box>
      );
    case 'review':
      return <ReviewReport review={item.review} />;
    case 'message': {
      const color = item.tone === 'error' ? theme.error : item.tone === 'warning' ? theme.warning : undefined;
      return (
        <Box flexDirection="column">
          <Text color={color} wrap="wrap">
            {cleanText(item.text)}
          </Text>
          {item.diff && <DiffView diff={item.diff} />}
        </Box>
      );
    }
  }
}

function Reasoning({ text, durationMs, expanded }: { text: string; durationMs: number; expanded: boolean }) {
  const clean = cleanText(text);
  const label = `Thought for ${formatDuration(durationMs)}`;
  if (expanded) {
    return (
      <Box flexDirection="column">
        <Text dimColor>✻ {label}</Text>
        <Indented>
          <Text dimColor italic wrap="wrap">
            {clean}
          </Text>
        </Indented>
      </Box>
    );
  }
  const first = clean.split('\n').find((line) => line.trim() !== '') ?? '';
  return (
    <Text dimColor wrap="truncate-end">
      ✻ {label} · <Text italic>{first.trim()}</Text>
    </Text>
  );
}

function Proposal({ request }: { request: ApprovalRequest }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" marginTop={1}>
      {/* A diff names its files itself; a commit shows its message above what it records. */}
      {/* A command is shown once, as the line that runs. */}
      {(!request.diff || request.commit) && request.command === undefined && (
        <Text bold>
          <Revealed text={request.title} newlines />
        </Text>
      )}
      {request.commit && (
        <Box paddingLeft={2} marginBottom={1}>
          <Text wrap="wrap">
            <Revealed text={request.commit.message} />
          </Text>
        </Box>
      )}
      {request.warning && (
        <Text color={theme.warning}>
          ⚠ <Revealed text={request.warning} />
        </Text>
      )}
      {request.diff && <DiffView diff={request.diff} />}
      {request.command !== undefined && <CommandLine command={request.command} sandboxed={request.sandboxed} />}
    </Box>
  );
}

export function CommandLine({ command, sandboxed }: { command: string; sandboxed?: boolean | undefined }) {
  const theme = useTheme();
  return (
    <Box flexDirection="column">
      <Box flexDirection="row">
        <Box width={2} flexShrink={0}>
          <Text dimColor>$</Text>
        </Box>
        <Text bold wrap="wrap">
          <Revealed text={command} />
        </Text>
      </Box>
      {sandboxed ? (
        <Text color={theme.success}>runs in the sandbox (no network, writes only inside the repository)</Text>
      ) : (
        <Text color={theme.error} bold>
          NOT sandboxed: runs with your full permissions
        </Text>
      )}
    </Box>
  );
}

function Decision({ decision }: { decision: ToolDecision }) {
  const theme = useTheme();
  if (decision.by === 'policy' && decision.approved) return null;
  const who =
    decision.by === 'user'
      ? 'you'
      : decision.by === 'rule'
        ? 'an always rule'
        : decision.by === 'policy'
          ? 'the approval mode'
          : 'this run (it cannot ask)';
  const interrupted = decision.by === 'user' && decision.feedback === 'interrupted';
  const feedback = decision.feedback && !interrupted ? `: ${cleanText(decision.feedback)}` : '';
  const words = decision.approved
    ? `✓ approved by ${who}`
    : interrupted
      ? '✗ not applied: interrupted'
      : `✗ rejected by ${who}${feedback}`;
  return (
    <Indented>
      <Text color={decision.approved ? theme.success : theme.warning} wrap="wrap">
        {words}
      </Text>
    </Indented>
  );
}

function Bullet({ mark, color, children }: { mark: string; color?: string | undefined; children: ReactNode }) {
  return (
    <Box flexDirection="row">
      <Box width={2} flexShrink={0}>
        <Text color={color}>{mark}</Text>
      </Box>
      <Box flexGrow={1} flexShrink={1}>
        {children}
      </Box>
    </Box>
  );
}

function Indented({ children }: { children: ReactNode }) {
  return (
    <Box paddingLeft={2} flexDirection="column">
      {children}
    </Box>
  );
}

function firstLines(text: string, count: number): string {
  const lines = cleanText(text).trimEnd().split('\n');
  const shown = lines.slice(0, count).join('\n');
  return lines.length > count ? `${shown}\n… +${lines.length - count} lines (ctrl+o shows all)` : shown;
}
