// The error a tool throws when the model (or the user) should read its
// message as it stands. Its own module: the workspace guard and the file
// helpers throw it, and tool.ts, which speaks of those helpers' types, must
// not be imported back by them.

/** An error whose message is meant for the model (and user) as it stands. */
export class ToolError extends Error {
  override name = 'ToolError';
}
