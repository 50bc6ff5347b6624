import type http from 'node:http';
import type { RouteAction } from './config.js';
import type { RequestView } from './match.js';

const TITLES: Record<number, string> = {
  400: '400 Bad Request',
  404: '404 Not Found',
  500: '500 Internal Server Error',
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
  504: '504 Gateway Time-out',
};

const PAGES = new Map<number, Buffer>();

/** `502 Bad Gateway`: the status line's code and reason, as ALB's pages title them. */
export function statusTitle(status: number): string {
  return TITLES[status] ?? `${status} Error`;
}

/** The HTML page the load balancer itself answers with, as ALB words them. */
export function errorPage(status: number): Buffer {
  let page = PAGES.get(status);
  if (!page) {
    const title = statusTitle(status);
    page = Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`);
    PAGES.set(status, page);
  }
  return page;
}

export function sendError(res: http.ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const page = errorPage(status);
  res.writeHead(status, { server: 'awselb/2.0', 'content-type': 'text/html', 'content-length': page.length }).end(page);
}

export function sendFixed(res: http.ServerResponse, action: Extract<RouteAction, { type: 'fixed-response' }>): void {
  const body = Buffer.from(action.body);
  const headers: http.OutgoingHttpHeaders = { server: 'awselb/2.0', 'content-length': body.length };
  if (action.contentType) headers['content-type'] = `${action.contentType}; charset=utf-8`;
  res.writeHead(action.status, headers).end(body);
}

/**
 * A redirect: each part defaults to the request's own (`#{protocol}`, `#{host}`,
 * `#{port}`, `#{path}`, `#{query}` placeholders are expanded); the port is left out
 * when it is the protocol's default.
 */
export function sendRedirect(
  res: http.ServerResponse,
  action: Extract<RouteAction, { type: 'redirect' }>,
  r: RequestView,
  listenerPort: number,
): void {
  const vars: Record<string, string> = {
    protocol: 'http',
    host: r.host,
    port: String(listenerPort),
    path: r.path.replace(/^\//, ''),
    query: r.query,
  };
  const expand = (s: string): string => s.replace(/#\{(protocol|host|port|path|query)\}/g, (_, k: string) => vars[k] ?? '');
  const protocol = expand(action.protocol).toLowerCase();
  const port = expand(action.port);
  const path = expand(action.path);
  const query = expand(action.query);
  const defaultPort = (protocol === 'https' && port === '443') || (protocol === 'http' && port === '80');
  const location = `${protocol}://${expand(action.host)}${defaultPort ? '' : `:${port}`}${path.startsWith('/') ? path : `/${path}`}${query ? `?${query}` : ''}`;
  res.writeHead(action.status, { server: 'awselb/2.0', location, 'content-length': 0 }).end();
}
