// Text shown for approval, with every invisible or reordering character shown
// as its code point in a style of its own (see reveal.ts). Goes inside a <Text>.
import { Text } from 'ink';
import { revealParts, type RevealOptions } from '../reveal.js';
import { useTheme } from '../theme.js';

export function Revealed({ text, newlines = false }: { text: string } & RevealOptions) {
  const theme = useTheme();
  return (
    <>
      {revealParts(text, { newlines }).map((part, index) =>
        part.escaped ? (
          <Text key={index} inverse color={theme.error}>
            {part.text}
          </Text>
        ) : (
          part.text
        ),
      )}
    </>
  );
}
