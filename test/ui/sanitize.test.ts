import { describe, expect, it } from 'vitest';
import { cleanText } from '../../src/ui/sanitize.js';

describe('cleanText', () => {
  it('removes escape sequences and control characters a file or model could carry', () => {
    expect(cleanText('red \u001b[31mtext\u001b[0m, title \u001b]0;pwned\u0007, bell \u0007, nul \u0000.')).toBe(
      'red text, title , bell , nul .',
    );
  });

  it('turns tabs into spaces and CRLF into LF, keeping line breaks', () => {
    expect(cleanText('a\tb\r\nc\rd\n')).toBe('a    b\nc\nd\n');
  });
});
