import { describe, expect, it } from 'vitest';
import { spawnLines } from '../../../tools/processes/spawn-lines.js';

/** A child that prints its pid, then a numbered line every few milliseconds, forever. */
const FOREVER = ['-e', 'console.log(process.pid); let i = 0; setInterval(() => console.log(++i), 5);'];

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

describe('spawnLines', () => {
  it('streams records, including a last one without a separator', async () => {
    const records: string[] = [];
    const result = await spawnLines(process.execPath, ['-e', 'process.stdout.write("a\\nb\\n\\nc")'], {
      cwd: process.cwd(),
      signal: new AbortController().signal,
      onRecord: (record) => void records.push(record),
    });
    expect(records).toEqual(['a', 'b', '', 'c']);
    expect(result).toEqual({ code: 0, stderr: '', stopped: false });
  });

  it('splits on NUL when asked, and keeps standard error and the exit code', async () => {
    const records: string[] = [];
    const result = await spawnLines(
      process.execPath,
      ['-e', 'process.stdout.write("x y\\0z\\n\\0"); process.stderr.write("oops"); process.exitCode = 3'],
      {
        cwd: process.cwd(),
        signal: new AbortController().signal,
        separator: '\0',
        onRecord: (r) => void records.push(r),
      },
    );
    expect(records).toEqual(['x y', 'z\n']);
    expect(result).toEqual({ code: 3, stderr: 'oops', stopped: false });
  });

  it('ends the command when the consumer has enough', async () => {
    let pid = 0;
    const records: string[] = [];
    const result = await spawnLines(process.execPath, FOREVER, {
      cwd: process.cwd(),
      signal: new AbortController().signal,
      onRecord(record) {
        if (pid === 0) pid = Number(record);
        else records.push(record);
        return records.length === 3 ? 'stop' : undefined;
      },
    });
    expect(records).toEqual(['1', '2', '3']);
    expect(result.stopped).toBe(true);
    expect(result.code).toBeNull();
    expect(await gone(pid)).toBe(true);
  });

  it('kills the command and rejects when the signal aborts', async () => {
    const controller = new AbortController();
    let pid = 0;
    const run = spawnLines(process.execPath, FOREVER, {
      cwd: process.cwd(),
      signal: controller.signal,
      onRecord(record) {
        if (pid === 0) {
          pid = Number(record);
          controller.abort();
        }
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('rejects when the command cannot be started', async () => {
    await expect(
      spawnLines('/nonexistent/gptoss-no-such-program', [], {
        cwd: process.cwd(),
        signal: new AbortController().signal,
        onRecord: () => undefined,
      }),
    ).rejects.toThrow(/ENOENT/);
  });
});
