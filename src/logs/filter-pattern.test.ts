import { describe, expect, it } from 'vitest';
import { FilterPatternError, compileFilterPattern } from './filter-pattern.js';

/** Each case is an example from AWS's "Filter pattern syntax" documentation. */
function matching(pattern: string, messages: string[]): string[] {
  const match = compileFilterPattern(pattern);
  return messages.filter((m) => match(m));
}

describe('unstructured filter patterns', () => {
  const lines = [
    '[ERROR] A fatal exception has occurred',
    'Exiting with ERRORCODE: -1',
    '[ERROR] Caught IllegalArgumentException',
    '[ERROR] Unhandled Exception',
    '[WARN] Failed to process the request',
    '[ERROR] Unable to continue: Failed to process the request',
    '[INFO] all good',
    'error in lower case',
  ];

  it('matches everything when empty', () => {
    expect(matching('', lines)).toEqual(lines);
    expect(matching('   ', lines)).toEqual(lines);
  });

  it('matches a single term by substring, case-sensitively', () => {
    expect(matching('ERROR', lines)).toEqual([lines[0], lines[1], lines[2], lines[3], lines[5]]);
  });

  it('excludes a term with a minus sign', () => {
    expect(matching('ERROR -Exiting', lines)).toEqual([lines[0], lines[2], lines[3], lines[5]]);
  });

  it('needs every term when there are several', () => {
    expect(matching('ERROR Exception', lines)).toEqual([lines[2], lines[3]]);
  });

  it('matches an exact phrase in double quotes', () => {
    expect(matching('"Failed to process the request"', lines)).toEqual([lines[4], lines[5]]);
    expect(matching('"Failed to process the request" ERROR', lines)).toEqual([lines[5]]);
  });

  it('matches any of the ?-terms', () => {
    expect(matching('?WARN ?INFO', lines)).toEqual([lines[4], lines[6]]);
    expect(matching('?"all good" ?Unhandled', lines)).toEqual([lines[3], lines[6]]);
  });

  it('combines plain terms with ?-terms and exclusions', () => {
    expect(matching('ERROR ?Exception ?continue -Unhandled', lines)).toEqual([lines[2], lines[5]]);
  });

  it('takes quotes and backslashes escaped inside a phrase', () => {
    expect(matching('"say \\"hi\\""', ['he said "hi"', 'say "hi" now'])).toEqual(['say "hi" now']);
  });
});

describe('JSON filter patterns', () => {
  const trail = JSON.stringify({
    eventType: 'UpdateTrail',
    sourceIPAddress: '123.123.123.123',
    arrayKey: ['value', 'another value'],
    objectList: [
      { name: 'a', id: 1 },
      { name: 'b', id: 2 },
    ],
    SomeObject: null,
    ThisFlag: true,
    bandwidth: 80,
    latency: 500,
  });
  const users = JSON.stringify({
    user: { id: 1, email: 'John.Stiles@example.com' },
    users: [{ id: 2, email: 'John.Doe@example.com' }],
    actions: ['GET', 'PUT', 'DELETE'],
    coordinates: [
      [0, 10],
      [20, 30],
    ],
  });
  const ok = (pattern: string, doc: string): boolean => compileFilterPattern(pattern)(doc);

  it.each([
    ['{ $.eventType = "UpdateTrail" }', true],
    ['{ $.eventType = UpdateTrail }', true],
    ['{ $.eventType != "UpdateTrail" }', false],
    ['{ $.eventType = "Update*" }', true],
    ['{ $.eventType = "update*" }', false],
    ['{ $.sourceIPAddress != 123.123.* }', false],
    ['{ $.sourceIPAddress = 123.123.* }', true],
    ['{ $.arrayKey[0] = "value" }', true],
    ['{ $.arrayKey[1] = "value" }', false],
    ['{ $.objectList[1].id = 2 }', true],
    ['{ $.objectList[1].id > 2 }', false],
    ['{ $.SomeObject IS NULL }', true],
    ['{ $.eventType IS NULL }', false],
    ['{ $.SomeOtherObject NOT EXISTS }', true],
    ['{ $.SomeObject NOT EXISTS }', false],
    ['{ $.ThisFlag IS TRUE }', true],
    ['{ $.ThisFlag IS FALSE }', false],
    ['{ $.bandwidth > 75 }', true],
    ['{ $.bandwidth >= 80 && $.latency <= 500 }', true],
    ['{ $.bandwidth < 80 || $.latency < 500 }', false],
    ['{ $.missing != 3 }', false],
  ])('%s on a CloudTrail-like event is %s', (pattern, expected) => {
    expect(ok(pattern, trail)).toBe(expected);
  });

  it.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', false],
    ['{ $.coordinates[1][0] = 20 }', true],
  ])('%s on the users example is %s', (pattern, expected) => {
    expect(ok(pattern, users)).toBe(expected);
  });

  it('never matches a message that is not JSON', () => {
    expect(ok('{ $.level = "error" }', 'level=error')).toBe(false);
    expect(ok('{ $.level = "error" }', '"error"')).toBe(false);
  });
});

describe('unsupported or malformed patterns', () => {
  it.each([
    ['[ip, user, timestamp]', /Space-delimited/],
    ['%ERROR [0-9]+%', /Regular expressions/],
    ['{ $.message = %err% }', /Regular expressions/],
    ['{ $.a.* = 1 }', /Unsupported selector/],
    ['{ $.a[*] = 1 }', /Unsupported selector/],
    ['{ $ = 1 }', /Unsupported selector/],
    ['{ $.level < "x" }', /needs a number/],
    ['{ $.level = }', /Expected a value/],
    ['{ $.level "x" }', /Expected a comparison/],
    ['{ ($.level = 1 }', /Missing '\)'/],
    ['{ $.level = 1 ', /must end with/],
    ['{ }', /Empty JSON filter pattern/],
    ['{ level = 1 }', /Expected a selector/],
    ['{ $.a IS MAYBE }', /Expected NULL, TRUE or FALSE/],
    ['"unterminated', /Unterminated/],
    ['ERR"OR', /Misplaced quote/],
  ])('refuses %s', (pattern, message) => {
    expect(() => compileFilterPattern(pattern)).toThrow(FilterPatternError);
    expect(() => compileFilterPattern(pattern)).toThrow(message);
  });
});
