// Where a stream of generated harmony stands, token by token: outside any
// message, in a header, or in a message's content. The embedded backend uses
// it to switch the answer's JSON grammar on exactly where the final answer's
// content begins. It reads headers as the harmony parser does: a recipient
// other than `assistant` makes a call; analysis and commentary are not the answer.

export type SpecialName = 'start' | 'channel' | 'constrain' | 'message' | 'end' | 'call' | 'return';

/** What a token began: the content of a final answer, or text outside any message. */
export type PositionChange = 'answer' | 'plain' | undefined;

export class HarmonyPosition {
  private mode: 'outside' | 'header' | 'body' = 'outside';
  private channel = '';
  private header = '';
  private inChannel = false;

  /** `special` names the token when it is one of harmony's; `text` is its text otherwise. */
  observe(special: SpecialName | undefined, text: string): PositionChange {
    switch (special) {
      case undefined:
        if (this.mode === 'outside') return text === '' ? undefined : 'plain';
        if (this.mode === 'header') {
          this.header += text;
          if (this.inChannel) this.channel += text;
        }
        return undefined;
      case 'start':
        this.beginHeader();
        return undefined;
      case 'channel':
        if (this.mode !== 'header') this.beginHeader();
        this.header += ' ';
        this.inChannel = true;
        return undefined;
      case 'constrain':
        this.header += ' ';
        this.inChannel = false;
        return undefined;
      case 'message': {
        if (this.mode !== 'header') return undefined;
        this.mode = 'body';
        return isAnswerHeader(this.header, this.channel) ? 'answer' : undefined;
      }
      default:
        this.mode = 'outside';
        return undefined;
    }
  }

  /** The last message ended: a new one needs its own `<|start|>assistant`. */
  get betweenMessages(): boolean {
    return this.mode === 'outside';
  }

  private beginHeader(): void {
    this.mode = 'header';
    this.header = '';
    this.channel = '';
    this.inChannel = false;
  }
}

function isAnswerHeader(header: string, channel: string): boolean {
  const recipient = /(?:^|\s)to=([^\s<]+)/.exec(header)?.[1];
  if (recipient && recipient !== 'assistant') return false;
  const name = channel
    .trim()
    .split(/\s+/)
    .find((word) => word && !word.startsWith('to='));
  return name !== 'analysis' && name !== 'commentary';
}
