// What one doctor check found: a line for the report and, for a problem,
// what to do about it. A "fail" means the agent cannot run; a "warn" means
// it runs without something (the sandbox, a fast search, speed).
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'info';

export interface CheckResult {
  label: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}
