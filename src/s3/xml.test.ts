import { describe, expect, it } from 'vitest';
import { child, childText, childrenNamed, el, parent, parseXml, xmlDocument, xmlEscape, XmlSyntaxError } from './xml.js';

describe('the XML writer', () => {
  it('escapes text and leaves out absent values', () => {
    expect(el('Key', 'a<b>&"c\'\r')).toBe('<Key>a&lt;b&gt;&amp;&quot;c&apos;&#13;</Key>');
    expect(el('Key', undefined)).toBe('');
    expect(el('N', 3)).toBe('<N>3</N>');
    expect(el('T', new Date(Date.UTC(2026, 0, 2)))).toBe('<T>2026-01-02T00:00:00.000Z</T>');
    expect(parent('P', [el('A', 'x'), el('B', true)])).toBe('<P><A>x</A><B>true</B></P>');
  });

  it('writes control characters as references (a key may hold any byte)', () => {
    expect(xmlEscape('a\u0000b\u0001')).toBe('a&#0;b&#1;');
  });

  it('roots documents in the S3 namespace', () => {
    expect(xmlDocument('R', [el('A', '1')])).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><A>1</A></R>');
  });
});

describe('the XML parser', () => {
  it('reads a DeleteObjects document with namespace, comments, CDATA and entities', () => {
    const doc = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
      <!-- a comment -->
      <Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Quiet>true</Quiet>
        <Object><Key>a &amp; b &#x41;&#66;</Key></Object>
        <Object><Key><![CDATA[<raw> & stuff]]></Key><VersionId>null</VersionId></Object>
        <Object><Key> spaced </Key></Object>
      </Delete>`);
    expect(doc.name).toBe('Delete');
    expect(childText(doc, 'Quiet')).toBe('true');
    expect(childrenNamed(doc, 'Object').map((o) => childText(o, 'Key'))).toEqual(['a & b AB', '<raw> & stuff', ' spaced ']);
  });

  it('drops namespace prefixes and reads self-closing elements', () => {
    const doc = parseXml('<s3:NotificationConfiguration xmlns:s3="x"><s3:EventBridgeConfiguration/></s3:NotificationConfiguration>');
    expect(doc.name).toBe('NotificationConfiguration');
    expect(child(doc, 'EventBridgeConfiguration')).toBeDefined();
  });

  it('round-trips text the writer escaped', () => {
    const key = 'weird <key> & "quotes" \u0001 \u00e9\u{1f600}';
    expect(parseXml(el('Key', key)).text).toBe(key);
  });

  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b>text</b>'],
    ['a DTD (no entity expansion, no external entities)', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
    ['an unknown entity', '<a>&nope;</a>'],
    ['two roots', '<a/><b/>'],
    ['no element at all', 'just text'],
    ['an unquoted attribute', '<a x=1/>'],
    ['deep nesting', '<a>'.repeat(100) + '</a>'.repeat(100)],
  ])('refuses %s', (_what, text) => {
    expect(() => parseXml(text)).toThrow(XmlSyntaxError);
  });
});
