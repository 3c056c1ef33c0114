// Where the agent keeps things on the user's machine, following the XDG base
// directory convention (with the usual defaults under $HOME).
import os from 'node:os';
import path from 'node:path';

export interface AgentDirs {
  /** User config: config.json. */
  config: string;
  /** Downloaded models and indexes; safe to delete. */
  cache: string;
  /** Sessions and undo checkpoints. */
  state: string;
}

export function agentDirs(env: NodeJS.ProcessEnv = process.env): AgentDirs {
  const home = env.HOME || os.homedir();
  const base = (variable: string, fallback: string) => {
    const value = env[variable];
    // The spec says relative values are invalid and must be ignored.
    return value && path.isAbsolute(value) ? value : path.join(home, fallback);
  };
  return {
    config: path.join(base('XDG_CONFIG_HOME', '.config'), 'gptoss-agent'),
    cache: path.join(base('XDG_CACHE_HOME', '.cache'), 'gptoss-agent'),
    state: path.join(base('XDG_STATE_HOME', '.local/state'), 'gptoss-agent'),
  };
}

/** The project config file of a repository. */
export function projectConfigPath(root: string): string {
  return path.join(root, '.gptoss-agent', 'config.json');
}
