import type { FastifyReply, FastifyRequest, onSendHookHandler, RouteOptions } from 'fastify';

type Done = (error: Error | null, payload?: unknown) => void;

/**
 * Swagger UI's pages (/docs, /docs-json, /docs-yaml, /docs/*) with the Content-Type Express gave
 * them: Express added `; charset=utf-8` to the text bodies @nestjs/swagger sends (HEAD too), and its
 * static files named JavaScript `text/javascript` where @fastify/static says `application/javascript`.
 */
function docsContentType(fromStaticFiles: boolean) {
  return (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string') {
      let fixed = fromStaticFiles ? type.replace(/^application\/javascript\b/, 'text/javascript') : type;
      if (!fromStaticFiles && !/;\s*charset=/i.test(fixed)) fixed = `${fixed}; charset=utf-8`;
      if (fixed !== type) reply.header('content-type', fixed);
    }
    done(null, payload);
  };
}

/** An onRoute hook: gives the docs routes (and only them) the onSend hook above. */
export function docsRoutes(route: RouteOptions): void {
  if (route.url !== '/docs' && !route.url.startsWith('/docs/') && !route.url.startsWith('/docs-')) return;
  const hook = docsContentType(route.url === '/docs/*') as onSendHookHandler;
  const existing = route.onSend;
  route.onSend = existing === undefined ? [hook] : [...[existing].flat(), hook];
}
