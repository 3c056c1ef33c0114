// Every test run gets its own empty user directories, so no test reads the
// developer's config or writes sessions into their state directory; child
// processes (the built binary) inherit them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSandboxUserConfig } from './fixtures/projects.js';

export default function setup(): () => void {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gptoss-test-home-'));
  process.env.XDG_STATE_HOME = path.join(home, 'state');
  process.env.XDG_CONFIG_HOME = path.join(home, 'config');
  process.env.XDG_CACHE_HOME = path.join(home, 'cache');
  // The sample projects link this checkout's node_modules; when the checkout is
  // under /tmp (which the sandbox hides), the binary must be told to show it.
  writeSandboxUserConfig(path.join(home, 'config'));
  return () => rmSync(home, { recursive: true, force: true });
}
