// Loads the Markdown libraries on first use: marked (a fast, dependency-free
// lexer) and lowlight (highlight.js's grammars as a syntax tree). Together they
// take about 100 ms to load, which the first prompt's wait hides and startup
// never pays.
import type { MarkdownLibraries } from './MarkdownView.js';

export async function loadMarkdownLibraries(): Promise<MarkdownLibraries> {
  const [{ Lexer }, { createLowlight, common }] = await Promise.all([import('marked'), import('lowlight')]);
  const lowlight = createLowlight(common);
  return {
    lex: (markdown) => Lexer.lex(markdown, { gfm: true }),
    highlight: (language, code) => {
      const name = language.toLowerCase();
      if (!lowlight.registered(name)) return undefined;
      try {
        return lowlight.highlight(name, code);
      } catch {
        return undefined;
      }
    },
  };
}
