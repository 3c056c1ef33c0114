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
  private canonical = new Map<string, Token[]>();
  /**
   * What the model generated for a message, by its canonical text and then by occurrence: a
   * model that repeats a call may write it differently each time.
   */
  private generated = new Map<string, Token[][]>();
  /** Occurrences of each message in the last prompt, and in what was generated since. */
  private occurrences = new Map<string, number>();

  constructor(private readonly codec: TokenCodec) {}

  /** The prompt's tokens; forgets messages it no longer holds (earlier turns' analysis, for one). */
  tokens(parts: readonly HarmonyPart[]): Token[] {
    const canonical = new Map<string, Token[]>();
    const occurrences = new Map<string, number>();
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
      const occurrence = occurrences.get(key) ?? 0;
      occurrences.set(key, occurrence + 1);
      let tokens = this.generated.get(key)?.[occurrence];
      if (!tokens) {
        tokens = canonical.get(key) ?? this.canonical.get(key) ?? this.partTokens(middle);
        canonical.set(key, tokens);
      }
      out.push(...this.partTokens([group[0]!]), ...tokens, ...this.partTokens([last]));
    }
    this.canonical = canonical;
    this.occurrences = occurrences;
    this.generated = new Map(
      [...this.generated]
        .filter(([key]) => occurrences.has(key))
        .map(([key, variants]) => [key, variants.slice(0, occurrences.get(key))]),
    );
    return out;
  }

  /** The tokens the model generated for a message whose canonical text is `key`, after the last prompt. */
  remember(key: string, tokens: readonly Token[]): void {
    const occurrence = this.occurrences.get(key) ?? 0;
    this.occurrences.set(key, occurrence + 1);
    const variants = this.generated.get(key) ?? [];
    variants[occurrence] = [...tokens];
    this.generated.set(key, variants);
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
