// A harmony prompt (our renderer's parts) as the model's tokens. Special parts
// become their token ids; text is tokenized as text, so `<|end|>` inside a
// file or tool result stays characters the model reads, never structure.
// Messages are tokenized one by one and remembered for as long as the prompt
// holds them: the next request re-tokenizes only what is new, and a message
// the model generated is written with the very tokens it generated, so the
// prompt reproduces what the KV cache already holds.
import type { Token } from 'node-llama-cpp';
import { harmonyText, type HarmonyPart, type HarmonySpecialToken } from './harmony/render.js';

export type SpecialTokenText = HarmonySpecialToken | '<|return|>';

/** The model's tokenizer as the prompt needs it. */
export interface TokenCodec {
  /** Text as text: special-token parsing off. */
  text(text: string): Token[];
  special(token: SpecialTokenText): Token;
}

/**
 * llama.cpp parses some harmony tokens (`<|start|>`, `<|end|>`, …) even when asked for plain
 * text. Splitting after each `<|` that opens a token-shaped name keeps them text; o200k's
 * pre-tokenizer splits there anyway when a name follows.
 */
const TOKEN_OPENING = /<\|(?=[a-z0-9_]{1,24}\|>)/g;

export function textTokens(tokenize: (text: string) => Token[], text: string): Token[] {
  if (!text.includes('<|')) return tokenize(text);
  const out: Token[] = [];
  let from = 0;
  for (const match of text.matchAll(TOKEN_OPENING)) {
    const cut = match.index + 2;
    out.push(...tokenize(text.slice(from, cut)));
    from = cut;
  }
  out.push(...tokenize(text.slice(from)));
  return out;
}

const TERMINALS = new Set<string>(['<|end|>', '<|call|>']);

export class PromptTokens {
  /** Tokens between a message's `<|start|>` and its end token, by the message's canonical text. */
  private messages = new Map<string, Token[]>();

  constructor(private readonly codec: TokenCodec) {}

  /** The prompt's tokens; forgets messages it no longer holds (earlier turns' analysis, for one). */
  tokens(parts: readonly HarmonyPart[]): Token[] {
    const used = new Map<string, Token[]>();
    const out: Token[] = [];
    for (const group of messageGroups(parts)) {
      const last = group.at(-1);
      const complete =
        group.length > 1 && typeof last !== 'string' && last !== undefined && TERMINALS.has(last.special);
      if (!complete) {
        out.push(...this.partTokens(group));
        continue;
      }
      const middle = group.slice(1, -1);
      const key = harmonyText(middle);
      const tokens = used.get(key) ?? this.messages.get(key) ?? this.partTokens(middle);
      used.set(key, tokens);
      out.push(...this.partTokens([group[0]!]), ...tokens, ...this.partTokens([last]));
    }
    this.messages = used;
    return out;
  }

  /** The tokens the model generated for a message whose canonical text is `key`. */
  remember(key: string, tokens: readonly Token[]): void {
    this.messages.set(key, [...tokens]);
  }

  private partTokens(parts: readonly HarmonyPart[]): Token[] {
    return parts.flatMap((part) =>
      typeof part === 'string' ? textTokens((text) => this.codec.text(text), part) : [this.codec.special(part.special)],
    );
  }
}

/** The parts cut at each `<|start|>`: one group per message (and whatever precedes the first). */
export function messageGroups(parts: readonly HarmonyPart[]): HarmonyPart[][] {
  const groups: HarmonyPart[][] = [];
  for (const part of parts) {
    if (typeof part !== 'string' && part.special === '<|start|>') groups.push([part]);
    else if (groups.length === 0) groups.push([part]);
    else groups.at(-1)!.push(part);
  }
  return groups;
}
