// `gptoss-agent --resume` without an id: this repository's saved sessions in
// a picker, the most recent first (the first request, the model, when it was
// last active); esc starts a new session instead.
import { listSessions } from '../agent/session-store.js';
import type { ChoiceOption, Tone } from '../ui/session.js';

export interface PickerUi {
  choose(title: string, options: ChoiceOption[], cancel: string): Promise<number | undefined>;
  print(text: string, tone?: Tone): void;
}

/** The id of the session chosen, or undefined for a new one. */
export async function pickSession(
  root: string,
  stateDir: string,
  ui: PickerUi,
  now: number = Date.now(),
): Promise<string | undefined> {
  const sessions = await listSessions(root, stateDir);
  if (sessions.length === 0) {
    ui.print(`There is no saved session for ${root} yet: this one is new.`);
    return undefined;
  }
  const options = sessions.map((session) => ({
    label: session.title || '(no request yet)',
    detail: `${session.model} · ${age(Date.parse(session.updatedAt), now)}`,
  }));
  const index = await ui.choose('Continue which session?', options, 'start a new session');
  return index === undefined ? undefined : sessions[index]!.id;
}

/** "just now", "12 min ago", "3 h ago", "2 days ago", then the date. */
export function age(then: number, now: number): string {
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 30) return `${days} day${days === 1 ? '' : 's'} ago`;
  return new Date(then).toISOString().slice(0, 10);
}
