// The interactive UI's question before a repository's own config may change
// the user's settings: what it would change, line by line, then trust (kept
// for this content of the file) or ignore for now (the session goes on
// without those settings and the question comes back next time). Headless
// modes ignore them with a warning instead (loadConfig), and --trust-project
// accepts them without a question.
import path from 'node:path';
import type { ProjectTrust } from '../config/config.js';
import type { ChoiceOption, Tone } from '../ui/session.js';

/** What the question needs from the session. */
export interface TrustUi {
  choose(title: string, options: ChoiceOption[], cancel: string, body?: string): Promise<number | undefined>;
  print(text: string, tone?: Tone): void;
}

const TRUST = 0;

export async function askProjectTrust(project: ProjectTrust, ui: TrustUi): Promise<boolean> {
  const file = path.relative(project.root, project.file);
  const lines = [
    'If you trust it, these settings apply:',
    ...project.held.map(({ key, shown }) => `  ${key}: ${shown}`),
    ...(project.held.some(({ key }) => key === 'endpoint')
      ? ['Your API key is never sent to an endpoint named by this file.']
      : []),
    'Trust is kept for the file as it is now: any change to it asks again.',
  ];
  const answer = await ui.choose(
    `This repository's ${file} wants to change how the agent runs here. Trust it?`,
    [
      { label: 'Trust it', detail: 'apply these settings, in later sessions too' },
      { label: 'Ignore them for now', detail: 'this session runs without them' },
    ],
    'ignore for now',
    lines.join('\n'),
  );
  if (answer === TRUST) {
    ui.print(`Trusted ${file}; its settings apply.`);
    return true;
  }
  return false;
}
