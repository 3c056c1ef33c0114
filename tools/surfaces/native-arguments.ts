// The argument spellings gpt-oss writes for its native tools, mapped onto the
// schemas we declare. Anything else is left as it is for validation to report.

type Args = Record<string, unknown>;

/** The most matches one search shows (grep's own limit). */
export const MAX_SEARCH_RESULTS = 500;

function isObject(value: unknown): value is Args {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Moves `from` to `to` when only `from` is given. */
function rename(args: Args, from: string, to: string): void {
  if (args[from] !== undefined && args[to] === undefined) args[to] = args[from];
  if (from !== to) delete args[from];
}

export function openFileArguments(value: unknown): unknown {
  if (typeof value === 'string') return { path: value };
  if (!isObject(value)) return value;
  const args = { ...value };
  for (const from of ['file_path', 'filepath', 'file', 'filename']) rename(args, from, 'path');
  rename(args, 'start_line', 'line_start');
  rename(args, 'end_line', 'line_end');
  return args;
}

export function searchArguments(value: unknown): unknown {
  if (typeof value === 'string') return { query: value };
  if (!isObject(value)) return value;
  const args = { ...value };
  for (const from of ['pattern', 'regex', 'q']) rename(args, from, 'query');
  rename(args, 'limit', 'max_results');
  // More than the tool shows is not a mistake worth a failed call.
  if (typeof args.max_results === 'number' && args.max_results > MAX_SEARCH_RESULTS) {
    args.max_results = MAX_SEARCH_RESULTS;
  }
  if (args.path === undefined || args.path === '') args.path = '.';
  return args;
}

export function treeArguments(defaultDepth: number): (value: unknown) => unknown {
  return (value) => {
    if (typeof value === 'string') return { path: value || '.', depth: defaultDepth };
    if (!isObject(value)) return value;
    const args = { ...value };
    for (const from of ['dir', 'directory']) rename(args, from, 'path');
    if (args.path === undefined || args.path === '' || args.path === null) args.path = '.';
    if (args.depth === undefined || args.depth === null) args.depth = defaultDepth;
    return args;
  };
}

export function patchArguments(value: unknown): unknown {
  if (typeof value === 'string') return { patch: value };
  if (!isObject(value)) return value;
  const args = { ...value };
  rename(args, 'input', 'patch');
  return args;
}

/** `command` as an argv: from `cmd` or `commands`, and from a plain string (run by bash). */
export function execArguments(value: unknown): unknown {
  if (typeof value === 'string') return { command: ['bash', '-lc', value] };
  if (!isObject(value)) return value;
  const args = { ...value };
  for (const from of ['cmd', 'commands', 'argv']) rename(args, from, 'command');
  if (typeof args.command === 'string') args.command = ['bash', '-lc', args.command];
  rename(args, 'cwd', 'workdir');
  // Our sandbox has its own limit (commandTimeout); the model's guess is not a reason to fail the call.
  delete args.timeout;
  return args;
}
