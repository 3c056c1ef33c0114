// Harmony whose special tokens a server stripped, leaving their words glued to
// the text: `analysisThe user asks…assistantfinalIt is 5050.` or
// `commentary to=functions.read_file json{"path":"a"}`. Ordinary text must never
// be mistaken for this, so a header is read only where one is unambiguous:
//   - at the very start of the text: `analysis` or `commentary` glued to a capital
//     letter, `assistantfinal`, `assistant…`, or a recipient (`[channel ]to=NAME`)
//     whose NAME is a known tool, followed by a JSON object;
//   - later, only after the glued words `assistantfinal`, `assistantcommentary`,
//     `assistantanalysis`, which no prose contains.
// Everything else passes through as the plain type.
import type { HarmonyEvent, HarmonyTextType } from './harmony-stream.js';
import { cleanToolName } from './tool-name.js';

const MARKERS = ['assistantfinal', 'assistantcommentary', 'assistantanalysis'];
const CHANNELS: Record<string, HarmonyTextType> = { analysis: 'reasoning', commentary: 'preamble', final: 'answer' };
/** A header longer than this without its JSON object is not a header. */
const MAX_HEADER = 200;

type Header =
  | { kind: 'wait' }
  | { kind: 'none' }
  | { kind: 'text'; type: HarmonyTextType; length: number }
  | { kind: 'call'; name: string; length: number };

interface CallBody {
  name: string;
  json: string;
  depth: number;
  inString: boolean;
  escaped: boolean;
}

export class StrippedHarmonyReader {
  private buffer = '';
  private state: 'start' | 'header' | 'text' | 'call' = 'start';
  private type: HarmonyTextType;
  private call: CallBody | undefined;

  constructor(
    private readonly plainType: HarmonyTextType,
    private readonly known: ReadonlySet<string> | undefined,
  ) {
    this.type = plainType;
  }

  push(text: string): HarmonyEvent[] {
    const out: HarmonyEvent[] = [];
    this.buffer += text;
    this.drain(out, false);
    return out;
  }

  end(): HarmonyEvent[] {
    const out: HarmonyEvent[] = [];
    this.drain(out, true);
    if (this.call) out.push({ type: 'tool_call', name: this.call.name, arguments: this.call.json.trim() || '{}' });
    this.call = undefined;
    if (this.buffer) emitText(out, this.type, this.buffer);
    this.buffer = '';
    return out;
  }

  private drain(out: HarmonyEvent[], final: boolean): void {
    for (;;) {
      if (this.state === 'start' || this.state === 'header') {
        const header = this.readHeader(this.buffer, this.state === 'start', final);
        if (header.kind === 'wait') return;
        if (header.kind === 'none') {
          this.state = 'text';
          continue;
        }
        this.buffer = this.buffer.slice(header.length);
        if (header.kind === 'text') {
          this.type = header.type;
          this.state = 'text';
        } else {
          this.call = { name: header.name, json: '', depth: 0, inString: false, escaped: false };
          this.state = 'call';
        }
        continue;
      }
      if (this.state === 'call') {
        if (!this.readCall(out)) return;
        this.state = 'text';
        this.type = this.plainType;
        continue;
      }
      // Text: everything up to a marker; a possible marker at the end waits for more.
      const found = firstMarker(this.buffer);
      if (found) {
        emitText(out, this.type, this.buffer.slice(0, found.at));
        this.buffer = this.buffer.slice(found.at + 'assistant'.length);
        this.state = 'header';
        continue;
      }
      const keep = final ? 0 : markerPrefixLength(this.buffer);
      emitText(out, this.type, this.buffer.slice(0, this.buffer.length - keep));
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return;
    }
  }

  /** Feeds the call's JSON object; true once it is complete (the rest stays in the buffer). */
  private readCall(out: HarmonyEvent[]): boolean {
    const call = this.call!;
    let i = 0;
    for (; i < this.buffer.length; i++) {
      const ch = this.buffer[i]!;
      call.json += ch;
      if (call.inString) {
        if (call.escaped) call.escaped = false;
        else if (ch === '\\') call.escaped = true;
        else if (ch === '"') call.inString = false;
      } else if (ch === '"') call.inString = true;
      else if (ch === '{' || ch === '[') call.depth++;
      else if (ch === '}' || ch === ']') {
        call.depth--;
        if (call.depth <= 0) break;
      }
    }
    if (i >= this.buffer.length) {
      this.buffer = '';
      return false;
    }
    this.buffer = this.buffer.slice(i + 1);
    out.push({ type: 'tool_call', name: call.name, arguments: call.json.trim() || '{}' });
    this.call = undefined;
    return true;
  }

  /**
   * Reads a header at the start of `text`. At the start of the stream only the unambiguous
   * shapes count; after a marker (`assistant` already cut) the channel word is certain.
   */
  private readHeader(text: string, atStart: boolean, final: boolean): Header {
    const wait: Header = final ? { kind: 'none' } : { kind: 'wait' };
    let offset = 0;
    let glued = !atStart;
    if (atStart) {
      if (text.length < 'assistant'.length && 'assistant'.startsWith(text)) return wait;
      if (text.startsWith('assistant')) {
        offset = 'assistant'.length;
        glued = true;
      }
    }
    const rest = text.slice(offset);
    const recipient = this.readRecipient(rest, offset, atStart, final);
    if (recipient) return recipient;
    for (const [word, type] of Object.entries(CHANNELS)) {
      if (rest.length < word.length) {
        if (word.startsWith(rest)) return wait;
        continue;
      }
      if (!rest.startsWith(word)) continue;
      const after = rest.slice(word.length);
      if (after === '' || /^\s+t?o?$/.test(after)) {
        // After a marker, a channel word at the very end opens an empty message.
        return final && !atStart ? { kind: 'text', type, length: text.length } : wait;
      }
      const call = this.readRecipient(
        after.replace(/^\s+/, ''),
        text.length - after.trimStart().length,
        atStart,
        final,
      );
      if (call) return call;
      // At the start, a channel word counts only glued to `assistant` or to a capital letter.
      if (glued || (word !== 'final' && /^[A-Z]/.test(after))) {
        return { kind: 'text', type, length: offset + word.length };
      }
      return { kind: 'none' };
    }
    return atStart ? { kind: 'none' } : { kind: 'text', type: this.plainType, length: 0 };
  }

  /** `to=NAME [json]{`: a call when the object starts and the name is one (known, at the start). */
  private readRecipient(text: string, offset: number, atStart: boolean, final: boolean): Header | undefined {
    if (text.length < 3) return 'to='.startsWith(text) && text !== '' ? { kind: final ? 'none' : 'wait' } : undefined;
    if (!text.startsWith('to=')) return undefined;
    const brace = text.indexOf('{');
    if (brace === -1) return text.length > MAX_HEADER || final ? { kind: 'none' } : { kind: 'wait' };
    const match = /^to=(\S+?)(?:\s*<?\|?constrain\|?>?)?(?:\s+(?:json|code))?\s*$/.exec(text.slice(0, brace));
    if (!match) return { kind: 'none' };
    const name = cleanToolName(match[1]!, this.known);
    if (!name || (atStart && !this.known?.has(name))) return { kind: 'none' };
    return { kind: 'call', name, length: offset + brace };
  }
}

function emitText(out: HarmonyEvent[], type: HarmonyTextType, text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.type === type) last.delta += text;
  else out.push({ type, delta: text });
}

function firstMarker(text: string): { at: number } | undefined {
  let best: number | undefined;
  for (const marker of MARKERS) {
    const at = text.indexOf(marker);
    if (at !== -1 && (best === undefined || at < best)) best = at;
  }
  return best === undefined ? undefined : { at: best };
}

/** How many characters at the end of `text` could begin a marker. */
function markerPrefixLength(text: string): number {
  const longest = Math.max(...MARKERS.map((m) => m.length)) - 1;
  for (let length = Math.min(longest, text.length); length > 0; length--) {
    const tail = text.slice(text.length - length);
    if (MARKERS.some((marker) => marker.startsWith(tail))) return length;
  }
  return 0;
}
