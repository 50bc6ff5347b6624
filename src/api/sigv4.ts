/**
 * Reads the SigV4 credential scope (`AKID/date/region/service/aws4_request`) from
 * the Authorization header or a presigned URL's X-Amz-Credential. Only parsing
 * happens here; signature verification lives with IAM.
 */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

export function parseCredential(credential: string): CredentialScope | undefined {
  const m = SCOPE.exec(credential.trim());
  if (!m) return undefined;
  const [, accessKeyId, date, region, service] = m as unknown as [string, string, string, string, string];
  return { accessKeyId, date, region, service };
}

export function credentialScopeOf(authorization: string | undefined, query: URLSearchParams): CredentialScope | undefined {
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    const m = /Credential=([^,\s]+)/.exec(authorization);
    return m?.[1] ? parseCredential(m[1]) : undefined;
  }
  const presigned = query.get('X-Amz-Credential');
  return presigned ? parseCredential(presigned) : undefined;
}
