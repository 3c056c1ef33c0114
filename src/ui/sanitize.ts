// Text from the model, from files and from commands is shown as text, never
// obeyed by the terminal: escape sequences and control characters are
// removed, tabs become spaces (the layout cannot measure a tab), CRLF becomes LF.
const ESCAPES =
  /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])|\u009B[0-?]*[ -/]*[@-~]/g;
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export const TAB = '    ';

export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ESCAPES, '').replace(/\t/g, TAB).replace(CONTROLS, '');
}
