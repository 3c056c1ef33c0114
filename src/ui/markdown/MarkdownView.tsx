// The final answer as Markdown: headings, lists (nested, numbered, tasks),
// emphasis, inline code, links, quotes, tables and fenced code with syntax
// highlighting. It draws tokens from marked's lexer; the libraries are loaded
// lazily (load-markdown.ts) and handed in, so this file costs nothing at startup.
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { Token, Tokens } from 'marked';
import stringWidth from 'string-width';
import { cleanText } from '../sanitize.js';
import { useTheme, type Theme } from '../theme.js';

/** The part of a highlight.js syntax tree (hast, from lowlight) that is drawn. */
export interface SyntaxNode {
  type: string;
  value?: string;
  properties?: { className?: unknown };
  children?: SyntaxNode[];
}

export interface MarkdownLibraries {
  lex(markdown: string): Token[];
  /** A syntax tree of the code, or undefined when the language is unknown. */
  highlight(language: string, code: string): SyntaxNode | undefined;
}

export function MarkdownView({ text, libraries }: { text: string; libraries: MarkdownLibraries }) {
  return <Blocks tokens={libraries.lex(cleanText(text))} highlight={libraries.highlight} />;
}

type Highlight = MarkdownLibraries['highlight'];

function Blocks({ tokens, highlight, tight = false }: { tokens: Token[]; highlight: Highlight; tight?: boolean }) {
  const blocks = tokens.filter((token) => token.type !== 'space' && token.type !== 'def');
  return (
    <Box flexDirection="column">
      {blocks.map((token, index) => (
        <Box key={index} marginTop={index > 0 && !tight ? 1 : 0} flexDirection="column">
          <Block token={token} highlight={highlight} />
        </Box>
      ))}
    </Box>
  );
}

function Block({ token, highlight }: { token: Token; highlight: Highlight }): ReactNode {
  const theme = useTheme();
  switch (token.type) {
    case 'heading': {
      const heading = token as Tokens.Heading;
      return (
        <Text bold underline={heading.depth === 1} color={theme.heading} wrap="wrap">
          <Inline tokens={heading.tokens} />
        </Text>
      );
    }
    case 'paragraph':
    case 'text': {
      const { tokens, text } = token as Tokens.Paragraph | Tokens.Text;
      return <Text wrap="wrap">{tokens ? <Inline tokens={tokens} /> : decodeEntities(text)}</Text>;
    }
    case 'list':
      return <List list={token as Tokens.List} highlight={highlight} />;
    case 'code':
      return <CodeBlock code={token as Tokens.Code} highlight={highlight} />;
    case 'blockquote':
      return (
        <Box flexDirection="row">
          <Box width={2} flexShrink={0}>
            <Text dimColor>│</Text>
          </Box>
          <Box flexDirection="column" flexGrow={1}>
            <Blocks tokens={(token as Tokens.Blockquote).tokens} highlight={highlight} />
          </Box>
        </Box>
      );
    case 'hr':
      return <Text dimColor>{'─'.repeat(30)}</Text>;
    case 'table':
      return <Table table={token as Tokens.Table} />;
    case 'html':
      return <Text dimColor>{(token as Tokens.HTML).text.trimEnd()}</Text>;
    default:
      return 'text' in token && typeof token.text === 'string' ? <Text wrap="wrap">{token.text}</Text> : null;
  }
}

function List({ list, highlight }: { list: Tokens.List; highlight: Highlight }) {
  const start = typeof list.start === 'number' ? list.start : 1;
  const markers = list.items.map((item, index) => {
    if (item.task) return item.checked ? '☑ ' : '☐ ';
    return list.ordered ? `${start + index}. ` : '• ';
  });
  const width = Math.max(...markers.map((marker) => stringWidth(marker)));
  return (
    <Box flexDirection="column">
      {list.items.map((item, index) => (
        <Box key={index} flexDirection="row" marginTop={index > 0 && list.loose ? 1 : 0}>
          <Box width={width} flexShrink={0}>
            <Text dimColor={!list.ordered}>{markers[index]}</Text>
          </Box>
          <Box flexDirection="column" flexGrow={1} flexShrink={1}>
            <Blocks
              tokens={item.tokens.filter((token) => token.type !== 'checkbox')}
              highlight={highlight}
              tight={!item.loose}
            />
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function CodeBlock({ code, highlight }: { code: Tokens.Code; highlight: Highlight }) {
  const theme = useTheme();
  const language = (code.lang ?? '').trim().split(/\s+/)[0] ?? '';
  const tree = language ? highlight(language, code.text) : undefined;
  const lines: Piece[][] = tree ? syntaxLines(tree, theme) : code.text.split('\n').map((line) => [{ text: line }]);
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {language && <Text dimColor>{language}</Text>}
      {lines.map((pieces, index) => (
        <Text key={index} wrap="wrap">
          {pieces.length === 0 || pieces.every((piece) => piece.text === '')
            ? ' '
            : pieces.map((piece, i) => (
                <Text key={i} color={piece.color}>
                  {piece.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}

interface Piece {
  text: string;
  color?: string | undefined;
}

/** Flattens a syntax tree into lines of coloured pieces. */
export function syntaxLines(tree: SyntaxNode, theme: Theme): Piece[][] {
  const lines: Piece[][] = [[]];
  const walk = (node: SyntaxNode, color: string | undefined) => {
    if (node.type === 'text') {
      const parts = (node.value ?? '').split('\n');
      parts.forEach((part, index) => {
        if (index > 0) lines.push([]);
        if (part) lines.at(-1)!.push({ text: part, color });
      });
      return;
    }
    const own = colorOf(node, theme);
    for (const child of node.children ?? []) walk(child, own ?? color);
  };
  walk(tree, undefined);
  return lines;
}

function colorOf(node: SyntaxNode, theme: Theme): string | undefined {
  const classes = node.properties?.className;
  if (!Array.isArray(classes)) return undefined;
  for (const name of classes) {
    if (typeof name !== 'string') continue;
    const role = name.replace(/^hljs-/, '');
    const color = theme.syntax[role] ?? theme.syntax[role.split('.')[0]!];
    if (color) return color;
  }
  return undefined;
}

function Table({ table }: { table: Tokens.Table }) {
  const cell = (c: Tokens.TableCell) => decodeEntities(plainText(c.tokens));
  const rows = [table.header.map(cell), ...table.rows.map((row) => row.map(cell))];
  // reduce, not Math.max(...rows): a table the model writes may have more rows than a call takes arguments.
  const widths = table.header.map((_, column) =>
    rows.reduce((wide, row) => Math.max(wide, stringWidth(row[column] ?? '')), 0),
  );
  const pad = (text: string, column: number) => {
    const room = (widths[column] ?? 0) - stringWidth(text);
    const align = table.align[column];
    if (align === 'right') return ' '.repeat(room) + text;
    if (align === 'center') return ' '.repeat(Math.floor(room / 2)) + text + ' '.repeat(Math.ceil(room / 2));
    return text + ' '.repeat(room);
  };
  const line = (row: string[]) => row.map((text, column) => pad(text, column)).join(' │ ');
  return (
    <Box flexDirection="column">
      <Text bold>{line(rows[0]!)}</Text>
      <Text dimColor>{widths.map((width) => '─'.repeat(width)).join('─┼─')}</Text>
      {rows.slice(1).map((row, index) => (
        <Text key={index}>{line(row)}</Text>
      ))}
    </Box>
  );
}

function Inline({ tokens }: { tokens: Token[] }) {
  const theme = useTheme();
  return (
    <>
      {tokens.map((token, index) => {
        switch (token.type) {
          case 'strong':
            return (
              <Text key={index} bold>
                <Inline tokens={(token as Tokens.Strong).tokens} />
              </Text>
            );
          case 'em':
            return (
              <Text key={index} italic>
                <Inline tokens={(token as Tokens.Em).tokens} />
              </Text>
            );
          case 'del':
            return (
              <Text key={index} strikethrough>
                <Inline tokens={(token as Tokens.Del).tokens} />
              </Text>
            );
          case 'codespan':
            return (
              <Text key={index} color={theme.code}>
                {decodeEntities((token as Tokens.Codespan).text)}
              </Text>
            );
          case 'link': {
            const link = token as Tokens.Link;
            const label = plainText(link.tokens);
            return (
              <Text key={index}>
                <Text color={theme.link} underline>
                  <Inline tokens={link.tokens} />
                </Text>
                {label !== link.href && <Text dimColor> ({link.href})</Text>}
              </Text>
            );
          }
          case 'image':
            return (
              <Text key={index} dimColor>
                [image: {(token as Tokens.Image).text}]
              </Text>
            );
          case 'br':
            return <Text key={index}>{'\n'}</Text>;
          case 'text': {
            const text = token as Tokens.Text;
            return text.tokens ? (
              <Inline key={index} tokens={text.tokens} />
            ) : (
              <Text key={index}>{decodeEntities(text.text)}</Text>
            );
          }
          default:
            return 'text' in token && typeof token.text === 'string' ? (
              <Text key={index}>{decodeEntities(token.text)}</Text>
            ) : null;
        }
      })}
    </>
  );
}

function plainText(tokens: Token[]): string {
  return tokens
    .map((token) =>
      'tokens' in token && Array.isArray(token.tokens)
        ? plainText(token.tokens)
        : 'text' in token && typeof token.text === 'string'
          ? token.text
          : '',
    )
    .join('');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
