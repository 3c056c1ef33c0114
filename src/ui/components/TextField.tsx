// One line of editable text with a visible cursor (the approval feedback).
import { Text } from 'ink';
import type { EditorText } from '../text-edit.js';

export function TextField({ value, placeholder }: { value: EditorText; placeholder?: string }) {
  const { text, cursor } = value;
  if (text === '' && placeholder) {
    return (
      <Text>
        <Text inverse> </Text>
        <Text dimColor>{placeholder}</Text>
      </Text>
    );
  }
  const at = Array.from(text.slice(cursor))[0] ?? ' ';
  return (
    <Text wrap="wrap">
      {text.slice(0, cursor)}
      <Text inverse>{at === '\n' ? ' ' : at}</Text>
      {text.slice(cursor + (at === ' ' && cursor >= text.length ? 0 : at.length))}
    </Text>
  );
}
