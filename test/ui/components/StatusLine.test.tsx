import { render } from 'ink-testing-library';
import { Box } from 'ink';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { StatusLine } from '../../../src/ui/components/StatusLine.js';
import type { StatusView } from '../../../src/ui/state.js';
import { plain } from '../ink-helpers.js';

const info = {
  model: 'gpt-oss-20b',
  backend: '127.0.0.1:8080',
  approvalMode: 'suggest',
  reasoningEffort: 'medium',
  sandbox: 'n/a',
};

const line = (status: StatusView, width = 100) =>
  plain(
    render(
      <Box width={width}>
        <StatusLine status={status} />
      </Box>,
    ).lastFrame(),
  );

describe('StatusLine', () => {
  it('shows model, backend, context used against the window, speed, mode, sandbox and git', () => {
    expect(
      line(
        {
          info,
          model: { state: 'ready' },
          contextTokens: 12_345,
          contextSize: 32_768,
          tokensPerSecond: 23.6,
          git: { branch: 'main', dirty: true },
        },
        120,
      ),
    ).toBe(' gpt-oss-20b @ 127.0.0.1:8080 · ctx 12.3k/32.8k (38%) · 24 tok/s · suggest · sandbox: n/a · git: main*');
  });

  it('shows loading progress, then failure', () => {
    expect(line({ info: { ...info, backend: 'embedded' }, model: { state: 'loading', progress: 0.42 } })).toContain(
      'loading gpt-oss-20b 42%',
    );
    expect(line({ info, model: { state: 'failed', error: { message: 'boom' } } })).toContain(
      'gpt-oss-20b @ 127.0.0.1:8080: failed',
    );
    expect(line({ model: { state: 'starting' } })).toBe(' starting…');
    expect(line({ model: { state: 'absent' } })).toBe(' no model yet');
  });

  it('says, dimly, that the model is reading the conversation ahead of the next prompt', () => {
    const ready = { info: { ...info, backend: 'embedded' }, model: { state: 'ready' as const, device: 'CPU' } };
    expect(line({ ...ready, model: { ...ready.model, preparing: { done: 1024, total: 4096 } } })).toBe(
      ' gpt-oss-20b @ embedded (CPU) · reading context 25% · suggest · sandbox: n/a',
    );
    expect(line(ready)).toBe(' gpt-oss-20b @ embedded (CPU) · suggest · sandbox: n/a');
  });

  it('wraps whole segments onto a second line at 60 columns', () => {
    const frame = line(
      {
        info,
        model: { state: 'ready' },
        contextTokens: 900,
        tokensPerSecond: 5.25,
        git: { branch: 'feature/a-long-branch-name', dirty: false },
      },
      60,
    );
    const rows = frame.split('\n');
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) expect(stringWidth(row)).toBeLessThanOrEqual(60);
    // No segment is broken across rows.
    for (const segment of [
      'gpt-oss-20b @ 127.0.0.1:8080',
      'ctx 900',
      '5.3 tok/s',
      'sandbox: n/a',
      'git: feature/a-long-branch-name',
    ]) {
      expect(rows.some((row) => row.includes(segment))).toBe(true);
    }
  });

  it('says what is wrong with the server in a few words, and names a server without a model name once', () => {
    const failed = line({
      info,
      model: { state: 'failed', error: { message: 'refused', short: 'API key refused' } },
    });
    expect(failed).toBe(' gpt-oss-20b @ 127.0.0.1:8080: API key refused · suggest · sandbox: n/a');
    const unnamed = line({ info: { ...info, model: '127.0.0.1:8080' }, model: { state: 'ready' } });
    expect(unnamed).toBe(' 127.0.0.1:8080 · suggest · sandbox: n/a');
  });
});
