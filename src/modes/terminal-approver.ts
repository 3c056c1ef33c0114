// Asks for approval on a plain terminal (exec and tool with a TTY): shows the
// diff or command, then y / n (with a reason for the model) / a (always).
import { createInterface } from 'node:readline/promises';
import type { ApprovalRequest } from '../../tools/tool.js';
import { alwaysRuleFor, headlessApprover, type Approver, type ApproverAnswer } from '../agent/approvals.js';
import type { ModeIO } from './options.js';
import { hasHiddenCharacters, revealText, type RevealOptions } from '../ui/reveal.js';
import { paintDiff, painter } from './terminal-style.js';

/** Whether someone is there to answer: stdin to read the answer from and stderr to ask on are terminals. */
export function canAsk(io: ModeIO): boolean {
  return io.stdin.isTTY === true && io.stderr.isTTY === true;
}

/** The terminal's approver when someone can answer; else the headless one, which approves nothing that asks. */
export function approverFor(io: ModeIO): Approver {
  return canAsk(io) ? terminalApprover(io) : headlessApprover;
}

export function terminalApprover(io: ModeIO): Approver {
  const paint = painter(io.stderr, io.env);
  return async (request: ApprovalRequest, signal: AbortSignal): Promise<ApproverAnswer> => {
    // Every text shown is revealed: escape sequences, bidi overrides and invisible characters become \uXXXX.
    const show = (text: string, options: RevealOptions = {}) =>
      revealText(text, options, (escape) => paint('inverse', escape));
    io.stderr.write(`\n${paint('bold', show(request.title, { newlines: true }))}\n`);
    if (request.warning) io.stderr.write(`${paint('yellow', `warning: ${show(request.warning)}`)}\n`);
    if (request.commit) io.stderr.write(`${show(request.commit.message).replace(/^/gm, '    ')}\n\n`);
    if (request.diff) io.stderr.write(`${paintDiff(show(request.diff.trimEnd()), paint)}\n`);
    if (request.command) {
      io.stderr.write(
        `$ ${show(request.command)}  ${request.sandboxed ? '(sandboxed)' : paint('red', '(NOT sandboxed)')}\n`,
      );
    }
    if (hiddenIn(request)) {
      io.stderr.write(
        `${paint('red', 'warning: this holds invisible or direction-changing characters, shown as \\uXXXX; check what it really says')}\n`,
      );
    }
    const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
    // What "always" grants: edits (or commits), or the commands that start like this one.
    const always = alwaysRuleFor(request);
    const savable = always?.kind === 'exec' || always?.kind === 'mcp';
    const question =
      always === undefined
        ? 'Allow? [y]es / [n]o: '
        : always.kind === 'exec'
          ? `Allow? [y]es / [n]o / [a]lways "${show(always.prefix)} …" for this session / always for this [p]roject: `
          : always.kind === 'mcp'
            ? `Allow? [y]es / [n]o / [a]lways ${show(always.pattern)} for this session / always for this [p]roject: `
            : 'Allow? [y]es / [n]o / [a]lways for this session: ';
    try {
      for (;;) {
        const answer = (await rl.question(question, { signal })).trim().toLowerCase();
        if (answer === 'y' || answer === 'yes') return { approved: true };
        if ((answer === 'a' || answer === 'always') && always) return { approved: true, always };
        if ((answer === 'p' || answer === 'project') && savable) {
          return { approved: true, always, saveForProject: true };
        }
        if (answer === 'n' || answer === 'no') {
          const feedback = await rl.question('Tell the model why (optional): ', { signal });
          return { approved: false, feedback };
        }
      }
    } finally {
      rl.close();
    }
  };
}

function hiddenIn(request: ApprovalRequest): boolean {
  return (
    hasHiddenCharacters(request.title, { newlines: true }) ||
    [request.warning, request.commit?.message, request.diff, request.command].some(
      (text) => text !== undefined && hasHiddenCharacters(text),
    )
  );
}
