// Turns a tool's approval request into an outcome: the policy decides, and
// when it says "ask", the approver (UI, terminal, or headless stand-in) does.
// Shared by the loop and the `tool` command so both behave the same.
import type { ApprovalOutcome, ApprovalRequest } from '../../tools/tool.js';
import { decideApproval, type ApprovalMode, type ApprovalRule, type Approver } from './approvals.js';
import type { AgentEventSink } from './events.js';

export interface ApprovalGateOptions {
  /** Read on every request, so a mode change mid-session applies at once. */
  mode: () => ApprovalMode;
  /** Rules granted so far; "always" answers are appended. */
  rules: ApprovalRule[];
  approver: Approver;
  emit: AgentEventSink;
  unsandboxedAllowed?: boolean;
  /** Saves a command rule in the project config (an "always" answer with saveForProject). */
  saveRule?: (rule: ApprovalRule) => Promise<void>;
}

export type ApprovalGate = (id: string, request: ApprovalRequest, signal: AbortSignal) => Promise<ApprovalOutcome>;

export function createApprovalGate(options: ApprovalGateOptions): ApprovalGate {
  const { rules, approver, emit } = options;
  return async (id, request, signal) => {
    const verdict = decideApproval({
      request,
      mode: options.mode(),
      rules,
      unsandboxedAllowed: options.unsandboxedAllowed ?? false,
    });
    if (verdict.decision !== 'ask') {
      const approved = verdict.decision === 'allow';
      emit({ type: 'approval.decided', id, approved, by: verdict.by });
      return approved ? { approved: true, unasked: true } : { approved: false, by: 'policy' };
    }
    emit({ type: 'approval.requested', id, request });
    const answer = await raceAbort(approver(request, signal), signal);
    if (answer === 'aborted') {
      emit({ type: 'approval.decided', id, approved: false, by: 'user', feedback: 'interrupted' });
      return { approved: false, by: 'user', feedback: 'The user interrupted.' };
    }
    if (answer === 'headless') {
      emit({ type: 'approval.decided', id, approved: false, by: 'headless' });
      return { approved: false, by: 'headless' };
    }
    if (answer.approved && answer.always) {
      rules.push(answer.always);
      if (answer.saveForProject) await saveRule(options, answer.always, emit);
    }
    const feedback = answer.feedback?.trim();
    emit({ type: 'approval.decided', id, approved: answer.approved, by: 'user', ...(feedback ? { feedback } : {}) });
    return answer.approved ? { approved: true } : { approved: false, by: 'user', ...(feedback ? { feedback } : {}) };
  };
}

/** A rule that cannot be saved still holds for the session; the user is told why it was not saved. */
async function saveRule(options: ApprovalGateOptions, rule: ApprovalRule, emit: ApprovalGateOptions['emit']) {
  if ((rule.kind !== 'exec' && rule.kind !== 'mcp') || !options.saveRule) return;
  try {
    await options.saveRule(rule);
  } catch (error) {
    emit({
      type: 'model.notice',
      message: `The rule "${rule.kind === 'exec' ? rule.prefix : rule.pattern}" holds for this session but was not saved: ${(error as Error).message}`,
    });
  }
}

async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return 'aborted';
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
