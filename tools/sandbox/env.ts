// The environment a command the model runs gets: only variables that say how
// to find and run programs, never the user's tokens and keys (API keys, cloud
// credentials, SSH agents, the model server's key all live in variables).

/** Kept by exact name. */
const KEEP = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'TZ',
  'CI',
  // Toolchains that live outside the system directories.
  'GOPATH',
  'GOROOT',
  'GOFLAGS',
  'GOTOOLCHAIN',
  'CARGO_HOME',
  'RUSTUP_HOME',
  'RUSTUP_TOOLCHAIN',
  'PYENV_ROOT',
  'PYENV_VERSION',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'JAVA_HOME',
  'NVM_DIR',
  'NVM_BIN',
  'VOLTA_HOME',
  'PNPM_HOME',
]);

/** Kept by prefix: locale settings. */
const KEEP_PREFIXES = ['LC_'];

export function scrubbedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (KEEP.has(name) || KEEP_PREFIXES.some((prefix) => name.startsWith(prefix))) out[name] = value;
  }
  // Inside the sandbox /tmp is private; a TMPDIR pointing elsewhere would not exist or not be writable.
  out.TMPDIR = '/tmp';
  // No network inside: package managers should not try to phone home.
  out.NPM_CONFIG_UPDATE_NOTIFIER = 'false';
  out.NPM_CONFIG_FUND = 'false';
  out.NPM_CONFIG_AUDIT = 'false';
  return out;
}
