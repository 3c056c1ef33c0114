// One process per session at a time: two runs appending to one log would
// interleave two conversations. The lock file holds the owner's pid; a lock
// whose process is gone (killed, crashed) is taken over.
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SessionError } from './session-store.js';
import { processIsAlive } from '../../tools/processes/process-alive.js';

export interface SessionLock {
  release(): void;
}

export function lockSession(file: string, id: string, pid = process.pid): SessionLock {
  // Sessions hold code and conversations: only their owner may read them.
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (attempt > 0 || (Number.isInteger(owner) && processIsAlive(owner))) {
        throw new SessionError(
          `Session ${id} is open in another gptoss-agent (pid ${Number.isInteger(owner) ? owner : '?'}). ` +
            'Finish or stop that one first; ' +
            `if no such process exists, delete ${file}.`,
        );
      }
      unlinkSync(file);
    }
  }
  return {
    release: () => {
      try {
        if (Number.parseInt(readFileSync(file, 'utf8'), 10) === pid) unlinkSync(file);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}
