// Whether the repository's own config is trusted, and what it holds back while it is not.
import type { ProjectTrust } from '../config/config.js';
import { describeHeld } from '../config/project-trust.js';
import type { CheckResult } from './check.js';

export function checkProjectTrust(project: ProjectTrust | undefined): CheckResult {
  const label = 'project config';
  if (!project) return { label, status: 'info', detail: 'none in this repository' };
  if (project.held.length === 0) {
    return { label, status: 'ok', detail: `${project.file}: nothing in it needs trust` };
  }
  if (project.trusted) {
    return { label, status: 'ok', detail: `${project.file} is trusted: ${describeHeld(project.held)}` };
  }
  return {
    label,
    status: 'warn',
    detail: `${project.file} is not trusted; ignored: ${describeHeld(project.held)}`,
    fix: 'Read the file; if you want these settings, run the agent once with --trust-project (or answer "trust" when the UI asks).',
  };
}
