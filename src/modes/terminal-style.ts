// Colour for plain terminal output (exec, tool, doctor), honouring NO_COLOR
// and non-terminals. The Ink UI has its own styling.
import { styleText } from 'node:util';
import { cleanText } from '../ui/sanitize.js';

type Style = Parameters<typeof styleText>[0];

export type Paint = (style: Style, text: string) => string;

export function painter(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Paint {
  const enabled = stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
  return enabled ? (style, text) => styleText(style, text) : (_style, text) => text;
}

// Private-use characters that mark painted spans while the text is cleaned (text that holds its own can at
// most colour itself).
const OPEN = '\uE000';
const SPLIT = '\uE001';
const CLOSE = '\uE002';
const MARKS = /[\uE000-\uE002]/g;
const SPAN = /\uE000([a-zA-Z]+)\uE001([^\uE000-\uE002]*)\uE002/g;

/**
 * What `render` writes, with every escape sequence and control character in it dropped (it holds
 * text from the model and the repository), and only then `paint`'s colours put in.
 */
export function renderClean(render: (paint: Paint) => string, paint: Paint): string {
  const marked = render((style, text) => `${OPEN}${String(style)}${SPLIT}${text.replace(MARKS, '')}${CLOSE}`);
  let out = cleanText(marked);
  // Innermost spans first, so a painted span inside another comes out whole.
  for (let previous = ''; previous !== out;) {
    previous = out;
    out = out.replace(SPAN, (_whole, style: string, text: string) => paint(style as Style, text));
  }
  return out.replace(MARKS, '');
}

/** Colours a unified diff line by line. */
export function paintDiff(diff: string, paint: Paint): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff --git')) return paint('bold', line);
      if (line.startsWith('+')) return paint('green', line);
      if (line.startsWith('-')) return paint('red', line);
      if (line.startsWith('@@')) return paint('cyan', line);
      return line;
    })
    .join('\n');
}
