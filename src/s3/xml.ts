/**
 * The XML of the rest-xml protocol: a writer for responses and a small, strict,
 * non-validating parser for the request documents S3 takes (Delete,
 * CompleteMultipartUpload, CreateBucketConfiguration, NotificationConfiguration).
 * No DTDs and no external entities are accepted, so nothing in a body can make the
 * parser read files or expand without bound.
 */
export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

/** Escapes text for element content or attribute values; other control characters become references. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => ESCAPES[c] ?? `&#${c.charCodeAt(0)};`);
}

export type Scalar = string | number | boolean | Date;

/** `<name>text</name>` with the text escaped; nothing at all when the value is undefined or null. */
export function el(name: string, value: Scalar | undefined | null): string {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? xmlEscape(value) : String(value);
  return `<${name}>${text}</${name}>`;
}

/** `<name>children</name>`, the children being elements already. */
export function parent(name: string, children: readonly string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A whole response document: declaration and the root element in S3's namespace. */
export function xmlDocument(root: string, children: readonly string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NAMESPACE}">${children.join('')}</${root}>`;
}

export interface XmlNode {
  /** The local name, without any namespace prefix. */
  readonly name: string;
  readonly children: XmlNode[];
  /** Concatenated text directly inside the element. */
  text: string;
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

const MAX_DEPTH = 32;
const NAME = /^[A-Za-z_][\w.:-]*/;

/** Parses a document to its root element; throws XmlSyntaxError when not well-formed. */
export function parseXml(text: string): XmlNode {
  const p = new Parser(text);
  p.skipProlog();
  const root = p.element(0);
  p.skipMisc();
  if (!p.atEnd()) throw new XmlSyntaxError('content after the root element');
  return root;
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.i >= this.s.length;
  }

  skipProlog(): void {
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    this.skipMisc();
  }

  /** Whitespace, comments and processing instructions; a DOCTYPE is refused. */
  skipMisc(): void {
    for (;;) {
      while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
      if (this.s.startsWith('<?', this.i)) this.i = this.after('?>');
      else if (this.s.startsWith('<!--', this.i)) this.i = this.after('-->');
      else if (this.s.startsWith('<!', this.i)) throw new XmlSyntaxError('DTDs are not allowed');
      else return;
    }
  }

  element(depth: number): XmlNode {
    if (depth > MAX_DEPTH) throw new XmlSyntaxError('elements nested too deeply');
    if (this.s[this.i] !== '<') throw new XmlSyntaxError(`expected an element at offset ${this.i}`);
    this.i++;
    const qname = this.name();
    const node: XmlNode = { name: localName(qname), children: [], text: '' };
    this.attributes();
    if (this.s.startsWith('/>', this.i)) {
      this.i += 2;
      return node;
    }
    if (this.s[this.i] !== '>') throw new XmlSyntaxError(`malformed start tag <${qname}>`);
    this.i++;
    this.content(node, depth);
    const close = this.name();
    if (close !== qname) throw new XmlSyntaxError(`</${close}> closes <${qname}>`);
    this.spaces();
    if (this.s[this.i] !== '>') throw new XmlSyntaxError(`malformed end tag </${qname}>`);
    this.i++;
    return node;
  }

  /** Children and text up to (and including) the `</` of the end tag. */
  private content(node: XmlNode, depth: number): void {
    for (;;) {
      const lt = this.s.indexOf('<', this.i);
      if (lt < 0) throw new XmlSyntaxError(`<${node.name}> is never closed`);
      node.text += decodeEntities(this.s.slice(this.i, lt));
      this.i = lt;
      if (this.s.startsWith('</', lt)) {
        this.i += 2;
        return;
      }
      if (this.s.startsWith('<!--', lt)) this.i = this.after('-->');
      else if (this.s.startsWith('<![CDATA[', lt)) {
        const end = this.after(']]>');
        node.text += this.s.slice(lt + 9, end - 3);
        this.i = end;
      } else if (this.s.startsWith('<?', lt)) this.i = this.after('?>');
      else if (this.s.startsWith('<!', lt)) throw new XmlSyntaxError('declarations are not allowed in content');
      else node.children.push(this.element(depth + 1));
    }
  }

  private attributes(): void {
    for (;;) {
      this.spaces();
      const c = this.s[this.i];
      if (c === '>' || c === '/' || c === undefined) return;
      this.name();
      this.spaces();
      if (this.s[this.i] !== '=') throw new XmlSyntaxError('attribute without a value');
      this.i++;
      this.spaces();
      const quote = this.s[this.i];
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError('attribute value not quoted');
      const end = this.s.indexOf(quote, this.i + 1);
      if (end < 0) throw new XmlSyntaxError('attribute value never closed');
      this.i = end + 1;
    }
  }

  private name(): string {
    const m = NAME.exec(this.s.slice(this.i, this.i + 256));
    if (!m) throw new XmlSyntaxError(`expected a name at offset ${this.i}`);
    this.i += m[0].length;
    return m[0];
  }

  private spaces(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private after(terminator: string): number {
    const end = this.s.indexOf(terminator, this.i);
    if (end < 0) throw new XmlSyntaxError(`'${terminator}' never found`);
    return end + terminator.length;
  }
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&([^;&\s]{1,10});/g, (whole, ref: string) => {
    if (NAMED[ref] !== undefined) return NAMED[ref];
    const code = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : ref.startsWith('#') ? parseInt(ref.slice(1), 10) : NaN;
    if (!Number.isInteger(code) || code < 0 || code > 0x10ffff) throw new XmlSyntaxError(`unknown entity ${whole}`);
    return String.fromCodePoint(code);
  });
}

/** The first child with a local name, if any. */
export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function childrenNamed(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

/** The text of the first child with that name (untrimmed: S3 keys may have spaces). */
export function childText(node: XmlNode, name: string): string | undefined {
  return child(node, name)?.text;
}
