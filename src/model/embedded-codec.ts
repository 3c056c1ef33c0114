// The model's tokenizer as harmony needs it: the special tokens by id, text
// tokenized as text, and generated tokens back to text (special tokens as
// their text, for the harmony parser to read).
import type * as NodeLlamaCpp from 'node-llama-cpp';
import type { SpecialTokenText, TokenCodec } from './embedded-prompt.js';
import type { SpecialName } from './harmony-position.js';

type Token = NodeLlamaCpp.Token;

export interface ModelCodec extends TokenCodec {
  /** The harmony token a token id is, if it is one. */
  nameOf(token: Token): SpecialName | undefined;
  detokenize(tokens: readonly Token[]): string;
  isEog(token: Token): boolean;
}

const NAMES: readonly SpecialName[] = ['start', 'channel', 'constrain', 'message', 'end', 'call', 'return'];

export function modelCodec(model: NodeLlamaCpp.LlamaModel): ModelCodec {
  const ids = new Map<SpecialTokenText, Token>();
  const names = new Map<Token, SpecialName>();
  for (const name of NAMES) {
    const text = `<|${name}|>` as SpecialTokenText;
    const tokens = model.tokenize(text, true);
    if (tokens.length !== 1) {
      throw new Error(`The model's vocabulary has no ${text} token; gpt-oss models have it (is this a gpt-oss GGUF?).`);
    }
    ids.set(text, tokens[0]!);
    names.set(tokens[0]!, name);
  }
  return {
    text: (text) => model.tokenize(text, false),
    special: (text) => ids.get(text)!,
    nameOf: (token) => names.get(token),
    detokenize: (tokens) => model.detokenize(tokens, true),
    isEog: (token) => model.isEogToken(token),
  };
}
