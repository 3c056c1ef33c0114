// Prompts as o200k_harmony ids, however long a run of text is.
import { describe, expect, it } from 'vitest';
import { harmonyTokenIds, serverTokenIds } from '../../src/model/harmony-token-ids.js';

describe('token ids of a long conversation', () => {
  it('encodes a text run longer than a call takes as arguments', async () => {
    // About 250,000 tokens in one run: spread into push() this overflows the stack.
    const ids = await harmonyTokenIds([
      { special: '<|start|>' },
      'user',
      { special: '<|message|>' },
      ' word'.repeat(250_000),
    ]);
    expect(ids.length).toBe(250_003);
    const text = await serverTokenIds(' word'.repeat(250_000));
    expect(text.length).toBe(250_000);
  });
});
