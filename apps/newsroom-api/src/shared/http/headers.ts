import type { FastifyRequest } from 'fastify';

/** A request header as one string (what Express's `req.header()` gave for every header the API reads). */
export function headerOf(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The path of the request target, without its query (Express's `req.path`). */
export function pathOf(req: FastifyRequest): string {
  const { url } = req;
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
