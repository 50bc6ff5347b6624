/**
 * The awsQuery protocol's response side: XML in the service's namespace.
 *
 *   <CreateLoadBalancerResponse xmlns="...">
 *     <CreateLoadBalancerResult> ...members... </CreateLoadBalancerResult>
 *     <ResponseMetadata><RequestId>...</RequestId></ResponseMetadata>
 *   </CreateLoadBalancerResponse>
 *
 * Values map generically: an array is a list of `<member>` elements (awsQuery lists are
 * not flattened unless modelled so, and ELBv2 models none), a plain object a structure,
 * a Date an ISO 8601 timestamp (both botocore and SDK v3 parse date-time), booleans
 * `true`/`false`. `undefined` and `null` members are left out.
 */
export function xmlEscape(s: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 38) rep = '&amp;';
    else if (c === 60) rep = '&lt;';
    else if (c === 62) rep = '&gt;';
    else if (c === 34) rep = '&quot;';
    else if (c === 39) rep = '&apos;';
    else if (c === 13) rep = '&#13;';
    else if (c < 32 && c !== 9 && c !== 10) rep = '';
    if (rep !== undefined) {
      out += s.slice(last, i) + rep;
      last = i + 1;
    }
  }
  return last === 0 ? s : out + s.slice(last);
}

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return xmlEscape(String(value));
}

/** The children of one element: a structure's members or a list's `<member>` items. */
export function xmlValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return value.map((v: unknown) => (v === undefined || v === null ? '' : `<member>${xmlValue(v)}</member>`)).join('');
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    let out = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${xmlValue(v)}</${k}>`;
    }
    return out;
  }
  return scalar(value);
}

export function xmlResponse(namespace: string, action: string, result: unknown, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${namespace}">` +
    `<${action}Result>${xmlValue(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${xmlEscape(requestId)}</RequestId></ResponseMetadata>` +
    `</${action}Response>`
  );
}

/** The awsQuery error document; `Type` is Sender for the caller's faults, Receiver for ours. */
export function xmlError(namespace: string, code: string, message: string, senderFault: boolean, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${namespace}">` +
    `<Error><Type>${senderFault ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error>` +
    `<RequestId>${xmlEscape(requestId)}</RequestId>` +
    `</ErrorResponse>`
  );
}
