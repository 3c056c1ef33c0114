// Just enough XML for JUnit reports (pytest, Maven Surefire, Gradle):
// elements, attributes, text, CDATA and the predefined and numeric entities.
// Comments, processing instructions and doctypes are skipped.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {
  override name = 'XmlError';
}

export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const top = stack[stack.length - 1]!;
    if (lt === -1) {
      top.text += decode(source.slice(i));
      break;
    }
    if (lt > i) top.text += decode(source.slice(i, lt));
    if (source.startsWith('<!--', lt)) {
      i = after(source, '-->', lt);
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt);
      if (end === -1) throw new XmlError('unterminated CDATA section');
      top.text += source.slice(lt + 9, end);
      i = end + 3;
    } else if (source.startsWith('<?', lt)) {
      i = after(source, '?>', lt);
    } else if (source.startsWith('<!', lt)) {
      i = after(source, '>', lt);
    } else if (source.startsWith('</', lt)) {
      const end = after(source, '>', lt);
      const name = source.slice(lt + 2, end - 1).trim();
      if (stack.length === 1 || top.name !== name) throw new XmlError(`unexpected </${name}>`);
      stack.pop();
      i = end;
    } else {
      const end = tagEnd(source, lt);
      const body = source.slice(lt + 1, end);
      const selfClosing = body.endsWith('/');
      const tag = selfClosing ? body.slice(0, -1) : body;
      const name = /^[^\s/>]+/.exec(tag)?.[0];
      if (!name) throw new XmlError(`malformed tag at offset ${lt}`);
      const element: XmlElement = { name, attributes: attributesOf(tag.slice(name.length)), children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
      i = end + 1;
    }
  }
  if (stack.length !== 1) throw new XmlError(`<${stack[stack.length - 1]!.name}> is never closed`);
  return root;
}

/** Every element with this name, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (node: XmlElement) => {
    for (const child of node.children) {
      if (child.name === name) found.push(child);
      visit(child);
    }
  };
  visit(element);
  return found;
}

function after(source: string, marker: string, from: number): number {
  const end = source.indexOf(marker, from);
  if (end === -1) throw new XmlError(`unterminated markup at offset ${from}`);
  return end + marker.length;
}

/** The '>' that closes a tag, skipping quoted attribute values. */
function tagEnd(source: string, from: number): number {
  let quote: string | undefined;
  for (let i = from + 1; i < source.length; i++) {
    const char = source[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '>') return i;
  }
  throw new XmlError(`unterminated tag at offset ${from}`);
}

function attributesOf(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of text.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attributes[match[1]!] = decode(match[2] ?? match[3] ?? '');
  }
  return attributes;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}
