// How a tool call names the lines it asked for, in the short line the transcript and approvals show.

/** `:start-end` (`:1-` when only the end is given, `:start-` when only the start), or '' for the whole file. */
export function lineRangeSuffix(start: number | undefined, end: number | undefined): string {
  return start !== undefined || end !== undefined ? `:${start ?? 1}-${end ?? ''}` : '';
}
