// A streaming parser for raw harmony text. Some servers (llama-server with
// --reasoning-format none, older templates, failed tool parsing) pass gpt-oss
// output through as plain `content`, e.g.
//   <|channel|>analysis<|message|>…<|end|><|start|>assistant<|channel|>final<|message|>…
// This turns it back into reasoning / preamble / answer / tool calls, so raw
// special tokens never reach the user or the history. Text without any
// special token passes straight through as the parser's plain type, unless it
// is harmony whose tokens the server stripped (see harmony-stripped.ts).
//
// Any assistant message with a recipient is a tool call, whatever its channel;
// the recipient may sit in the role part, the channel part or after
// <|constrain|>. A call ends at <|call|>, <|return|>, <|end|>, the next
// <|start|> or the end of the stream.

export type HarmonyTextType = 'reasoning' | 'preamble' | 'answer';

import { StrippedHarmonyReader } from './harmony-stripped.js';
import { cleanToolName } from './tool-name.js';

export type HarmonyEvent =
  | { type: HarmonyTextType; delta: string }
  /** `channel`: set when the call was written on the analysis channel (see ToolCallRequest). */
  | { type: 'tool_call'; name: string; arguments: string; channel?: 'analysis' };

/** `<|name|>`: harmony's special tokens (and any other of that shape, which is never text either). */
const TOKEN = /^<\|([a-z0-9_]{1,24})\|>/;
/** What the end of a chunk may hold while a token is still arriving. */
const TOKEN_PREFIX = /^<(\|[a-z0-9_]{0,24}\|?)?$/;

type HeaderPart = 'role' | 'channel' | 'constrain';
/** `drop`: a message from another role (a tool result the model wrote itself), never shown. */
type Target =
  { kind: 'text'; type: HarmonyTextType } | { kind: 'call'; name: string; analysis: boolean } | { kind: 'drop' };

export class HarmonyStreamParser {
  /** A possible partial token held back from the end of the last chunk. */
  private pending = '';
  private mode: 'outside' | 'header' | 'body' = 'outside';
  private header: Record<HeaderPart, string> = { role: '', channel: '', constrain: '' };
  private part: HeaderPart = 'role';
  private target: Target | undefined;
  private args = '';
  /** Reads plain text that may be harmony with its tokens stripped: the stream's start, an answer's body. */
  private stripped: StrippedHarmonyReader | undefined;

  /**
   * @param plainType what text outside any harmony message is (the answer for `content`).
   * @param knownTools the names calls may have (bare functions, `namespace.tool`): they settle a
   *   constraint glued to a name and whether text that looks like a stripped call is one.
   */
  constructor(
    private readonly plainType: HarmonyTextType = 'answer',
    private readonly knownTools?: ReadonlySet<string>,
  ) {
    this.stripped = new StrippedHarmonyReader(plainType, knownTools);
  }

  push(chunk: string): HarmonyEvent[] {
    const out: HarmonyEvent[] = [];
    this.feed(this.pending + chunk, out);
    return out;
  }

  /** The stream ended: a message cut at a stop token (`<|call|>` usually is one) still completes. */
  end(): HarmonyEvent[] {
    const out: HarmonyEvent[] = [];
    const rest = this.pending;
    this.pending = '';
    // A lone "<" is text; a cut-off "<|…" is a token the server stopped on.
    if (rest === '<') this.text(rest, out);
    this.finishMessage(out);
    this.mode = 'outside';
    return out;
  }

  private feed(input: string, out: HarmonyEvent[]): void {
    let textStart = 0;
    let from = 0;
    for (;;) {
      const lt = input.indexOf('<', from);
      if (lt === -1) break;
      const match = TOKEN.exec(input.slice(lt, lt + 28));
      if (match) {
        this.text(input.slice(textStart, lt), out);
        this.token(match[1]!, out);
        textStart = from = lt + match[0].length;
        continue;
      }
      if (TOKEN_PREFIX.test(input.slice(lt))) {
        this.text(input.slice(textStart, lt), out);
        this.pending = input.slice(lt);
        return;
      }
      from = lt + 1;
    }
    this.text(input.slice(textStart), out);
    this.pending = '';
  }

  private token(name: string, out: HarmonyEvent[]): void {
    this.flushStripped(out);
    switch (name) {
      case 'start':
        this.finishMessage(out);
        this.beginHeader('role');
        break;
      case 'channel':
        // The stream usually opens with `<|channel|>`: `<|start|>assistant` was part of the prompt.
        if (this.mode !== 'header') {
          this.finishMessage(out);
          this.beginHeader('channel');
        } else {
          this.part = 'channel';
        }
        break;
      case 'constrain':
        if (this.mode === 'header') this.part = 'constrain';
        break;
      case 'message':
        if (this.mode === 'header') {
          this.target = this.targetOf();
          this.args = '';
          this.mode = 'body';
          // A final answer may open with a call written as text (`to=functions.x json{…}`).
          if (this.target.kind === 'text' && this.target.type === 'answer') {
            this.stripped = new StrippedHarmonyReader('answer', this.knownTools);
          }
        }
        break;
      case 'end':
      case 'call':
      case 'return':
        this.finishMessage(out);
        this.mode = 'outside';
        break;
      default:
        // Any other special token (e.g. <|endoftext|>) is dropped, never shown.
        break;
    }
  }

  private beginHeader(part: HeaderPart): void {
    this.mode = 'header';
    this.header = { role: '', channel: '', constrain: '' };
    this.part = part;
  }

  private text(text: string, out: HarmonyEvent[]): void {
    if (!text) return;
    if (this.mode === 'header') {
      this.header[this.part] += text;
      return;
    }
    if (this.mode === 'body' && this.target?.kind === 'call') {
      this.args += text;
      return;
    }
    if (this.mode === 'body' && this.target?.kind === 'drop') return;
    if (this.stripped) {
      for (const event of this.stripped.push(text)) emit(out, event);
      return;
    }
    const type = this.mode === 'body' && this.target?.kind === 'text' ? this.target.type : this.plainType;
    emit(out, { type, delta: text });
  }

  private flushStripped(out: HarmonyEvent[]): void {
    const reader = this.stripped;
    this.stripped = undefined;
    if (reader) for (const event of reader.end()) emit(out, event);
  }

  private finishMessage(out: HarmonyEvent[]): void {
    this.flushStripped(out);
    if (this.mode === 'body' && this.target?.kind === 'call') {
      // A call to a tool without parameters may have no arguments at all.
      const args = this.args.trim() || '{}';
      out.push({
        type: 'tool_call',
        name: this.target.name,
        arguments: args,
        ...(this.target.analysis ? { channel: 'analysis' as const } : {}),
      });
    }
    this.target = undefined;
    this.args = '';
  }

  /**
   * Reads a header such as `assistant<|channel|>commentary to=functions.read_file <|constrain|>json`.
   * The recipient may also sit in the role part (`assistant to=functions.x<|channel|>…`), and the
   * model puts calls on the analysis channel too: any recipient other than `assistant` is a call.
   */
  private targetOf(): Target {
    const { role, channel, constrain } = this.header;
    // The model sometimes goes on to write the tool's result itself (`<|start|>functions.x to=assistant…`).
    const author = role.trim().split(/\s+/)[0];
    if (author && author !== 'assistant') return { kind: 'drop' };
    const name = channel
      .trim()
      .split(/\s+/)
      .find((word) => word && !word.startsWith('to='));
    const recipient = /(?:^|\s)to=([^\s<]+)/.exec(`${role} ${channel} ${constrain}`)?.[1];
    if (recipient && recipient !== 'assistant') {
      return { kind: 'call', name: cleanToolName(recipient, this.knownTools), analysis: name === 'analysis' };
    }
    if (name === 'analysis') return { kind: 'text', type: 'reasoning' };
    if (name === 'commentary') return { kind: 'text', type: 'preamble' };
    return { kind: 'text', type: 'answer' };
  }
}

function emit(out: HarmonyEvent[], event: HarmonyEvent): void {
  const last = out[out.length - 1];
  if (event.type !== 'tool_call' && last && last.type === event.type) last.delta += event.delta;
  else out.push(event.type === 'tool_call' ? event : { ...event });
}
