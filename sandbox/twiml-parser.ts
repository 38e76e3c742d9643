/** One TwiML element: `<Dial action="/x">` with its attributes, child elements and direct text. */
export interface TwimlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  children: TwimlElement[];
  /** The element's own text (child elements' text excluded), entities decoded, trimmed. */
  text: string;
}

/** The document is not well-formed TwiML; Twilio reports error 12100 and ends the call. */
export class TwimlParseError extends Error {
  readonly code = 12100;
  constructor(message: string) {
    super(message);
    this.name = 'TwimlParseError';
  }
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Parses a TwiML document into its `<Response>` element. A small, strict XML reader: elements,
 * attributes, text, CDATA, comments, the XML declaration and the five predefined entities plus
 * character references. DTDs are refused (no entity expansion from a webhook's answer).
 */
export function parseTwiml(xml: string): TwimlElement {
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: { element: TwimlElement; textParts: string[] }[] = [];
  let root: TwimlElement | undefined;

  const fail = (message: string): never => {
    throw new TwimlParseError(`${message} at offset ${pos}`);
  };

  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > pos) {
      const raw = xml.slice(pos, textEnd);
      const top = stack.at(-1);
      if (top) top.textParts.push(decodeEntities(raw, fail));
      else if (raw.trim() !== '') fail('text outside the root element');
      pos = textEnd;
      continue;
    }
    if (xml.startsWith('<?', pos)) {
      const end = xml.indexOf('?>', pos);
      if (end === -1) fail('unterminated processing instruction');
      pos = end + 2;
    } else if (xml.startsWith('<!--', pos)) {
      const end = xml.indexOf('-->', pos + 4);
      if (end === -1) fail('unterminated comment');
      pos = end + 3;
    } else if (xml.startsWith('<![CDATA[', pos)) {
      const end = xml.indexOf(']]>', pos);
      const top = stack.at(-1);
      if (end === -1 || !top) fail('CDATA outside an element or unterminated');
      top?.textParts.push(xml.slice(pos + 9, end));
      pos = end + 3;
    } else if (xml.startsWith('<!', pos)) {
      fail('DTDs and declarations are not accepted');
    } else if (xml.startsWith('</', pos)) {
      pos += 2;
      const name = NAME.exec(xml.slice(pos))?.[0] ?? fail('expected a closing tag name');
      pos += name.length;
      skipSpace();
      if (xml[pos] !== '>') fail(`expected > after </${name}`);
      pos += 1;
      const open = stack.pop() ?? fail(`unexpected </${name}>`);
      if (open.element.name !== name) fail(`</${name}> closes <${open.element.name}>`);
      close(open);
    } else {
      pos += 1;
      const name = NAME.exec(xml.slice(pos))?.[0] ?? fail('expected a tag name');
      pos += name.length;
      const attributes: Record<string, string> = {};
      for (;;) {
        const hadSpace = skipSpace();
        if (xml.startsWith('/>', pos) || xml[pos] === '>') break;
        if (!hadSpace) fail(`expected whitespace before an attribute of <${name}>`);
        const attribute = NAME.exec(xml.slice(pos))?.[0] ?? fail(`bad attribute in <${name}>`);
        pos += attribute.length;
        skipSpace();
        if (xml[pos] !== '=') fail(`expected = after ${attribute}`);
        pos += 1;
        skipSpace();
        const quote = xml[pos];
        if (quote !== '"' && quote !== "'") fail(`expected a quoted value for ${attribute}`);
        const end = xml.indexOf(quote ?? '"', pos + 1);
        if (end === -1) fail(`unterminated value of ${attribute}`);
        const value = xml.slice(pos + 1, end);
        if (value.includes('<')) fail(`< in the value of ${attribute}`);
        if (Object.hasOwn(attributes, attribute)) fail(`duplicate attribute ${attribute}`);
        attributes[attribute] = decodeEntities(value, fail);
        pos = end + 1;
      }
      const element: TwimlElement = { name, attributes, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.element.children.push(element);
      else if (root) fail('more than one root element');
      else root = element;
      if (xml.startsWith('/>', pos)) {
        pos += 2;
      } else {
        pos += 1;
        stack.push({ element, textParts: [] });
      }
    }
  }
  if (stack.length > 0) fail(`<${stack.at(-1)?.element.name}> is not closed`);
  if (!root) fail('empty document');
  const response = root as TwimlElement;
  if (response.name !== 'Response') fail(`the root element is <${response.name}>, not <Response>`);
  return response;

  function skipSpace(): boolean {
    const start = pos;
    while (pos < xml.length && /\s/.test(xml[pos] ?? '')) pos += 1;
    return pos > start;
  }

  function close(open: { element: TwimlElement; textParts: string[] }): void {
    open.element.text = open.textParts.join('').trim();
  }
}

function decodeEntities(raw: string, fail: (message: string) => never): string {
  return raw.replace(/&([^;\s&]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) return fail(`unterminated entity ${match}`);
    if (body.startsWith('#x') || body.startsWith('#X'))
      return codePoint(Number.parseInt(body.slice(2), 16), match, fail);
    if (body.startsWith('#')) return codePoint(Number.parseInt(body.slice(1), 10), match, fail);
    return ENTITIES[body] ?? fail(`unknown entity ${match}`);
  });
}

function codePoint(value: number, match: string, fail: (message: string) => never): string {
  if (!Number.isInteger(value) || value < 1 || value > 0x10ffff)
    return fail(`bad character reference ${match}`);
  return String.fromCodePoint(value);
}
