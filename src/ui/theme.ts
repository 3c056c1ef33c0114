// Colours by role, so every component asks for "removed" or "accent" rather
// than a colour name. With NO_COLOR every role loses its colour (bold, dim and
// inverse stay: they are not colour, and the cursor needs inverse).
import { createContext, useContext } from 'react';

export interface Theme {
  accent: string | undefined;
  user: string | undefined;
  success: string | undefined;
  warning: string | undefined;
  error: string | undefined;
  added: string | undefined;
  removed: string | undefined;
  hunk: string | undefined;
  heading: string | undefined;
  link: string | undefined;
  code: string | undefined;
  /** Syntax highlighting, by highlight.js class (without the hljs- prefix). */
  syntax: Readonly<Record<string, string>>;
}

const COLOURS: Theme = {
  accent: 'cyan',
  user: 'blueBright',
  success: 'green',
  warning: 'yellow',
  error: 'red',
  added: 'green',
  removed: 'red',
  hunk: 'cyan',
  heading: 'magentaBright',
  link: 'blueBright',
  code: 'yellow',
  syntax: {
    keyword: 'magenta',
    built_in: 'cyan',
    type: 'cyan',
    literal: 'blueBright',
    number: 'blueBright',
    string: 'green',
    regexp: 'red',
    comment: 'gray',
    doctag: 'gray',
    meta: 'gray',
    title: 'yellow',
    'title.function': 'yellow',
    'title.class': 'yellow',
    attr: 'cyan',
    attribute: 'cyan',
    variable: 'red',
    'template-variable': 'red',
    property: 'cyan',
    params: 'white',
    symbol: 'blueBright',
    tag: 'red',
    name: 'red',
    selector: 'magenta',
    addition: 'green',
    deletion: 'red',
    section: 'yellow',
  },
};

const PLAIN: Theme = Object.fromEntries(
  Object.keys(COLOURS).map((role) => [role, role === 'syntax' ? {} : undefined]),
) as unknown as Theme;

/** NO_COLOR counts when it is set and not empty (no-color.org). */
export function themeFor(env: NodeJS.ProcessEnv): Theme {
  return env.NO_COLOR ? PLAIN : COLOURS;
}

export const ThemeContext = createContext<Theme>(COLOURS);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
