// The approval mode as the status line shows it: the mode, and what the user
// allowed on top of it with "always" answers this session.
import type { ApprovalMode, ApprovalRule } from '../agent/approvals.js';

/** "suggest", "suggest + edits allowed", "auto-edit + 2 command rules allowed". */
export function approvalLabel(mode: ApprovalMode, rules: readonly ApprovalRule[]): string {
  const commands = rules.filter((rule) => rule.kind === 'exec').length;
  const parts = [
    ...(rules.some((rule) => rule.kind === 'edit') ? ['edits'] : []),
    ...(rules.some((rule) => rule.kind === 'commit') ? ['commits'] : []),
    ...(commands > 0 ? [commands === 1 ? '1 command rule' : `${commands} command rules`] : []),
    ...[...new Set(rules.flatMap((rule) => (rule.kind === 'tool' ? [rule.tool] : [])))],
  ];
  return parts.length === 0 ? mode : `${mode} + ${parts.join(', ')} allowed`;
}
