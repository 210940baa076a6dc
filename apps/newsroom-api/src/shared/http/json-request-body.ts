import { BadRequestException, NotFoundException } from '@nestjs/common';
import { json } from 'body-parser';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RawRequestDefaultExpression } from 'fastify';
import { type JsonLogger } from '../observability/json-logger';
import { type RequestLogHooks } from '../observability/request-log.hooks';
import { assignCorrelationId } from './correlation-id';
import { sendProblem } from './problem-details.filter';

type RawWithBody = RawRequestDefaultExpression & { body?: unknown };

/**
 * Reads a JSON body, for every method, before routing, with the rules the API has always had:
 * body-parser's (the parser Express used): strict (an object or an array), utf-* charsets only
 * (415 otherwise), gzip/deflate/br bodies inflated, over `limitBytes` a 413, the same error types
 * and messages (the problem mapping turns them into problem documents). A body of another type is
 * not read (the require-JSON hook has already refused one on a write).
 */
export function jsonBodyHook(limitBytes: number) {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (req: FastifyRequest, res: FastifyReply, done: HookHandlerDoneFunction): void => {
    parse(req.raw, res.raw, (error?: unknown) => {
      if (error !== undefined) {
        done(error as Error);
        return;
      }
      req.body = (req.raw as RawWithBody).body;
      done();
    });
  };
}

/**
 * The only content-type parser: the body was read by `jsonBodyHook`, so Fastify neither refuses a
 * media type itself (FST_ERR_CTP_INVALID_MEDIA_TYPE) nor parses JSON by its own rules.
 */
export function anyContentTypeParser(req: FastifyRequest, _payload: RawRequestDefaultExpression, done: (error: Error | null, body?: unknown) => void): void {
  done(null, req.body);
}

/**
 * Fastify's framework errors (a path whose %-escapes do not decode) are answered before any hook
 * runs: this gives them a correlation id, the problem document Express gave, and a log line.
 * Express matched the raw path first and decoded only the parameters of the route it matched: a
 * bad escape in a parameter was a 400 "Failed to decode param", anywhere else the path named no
 * route (404).
 */
export class FrameworkErrors {
  private attached: { fastify: FastifyInstance; logger: JsonLogger; log: RequestLogHooks } | undefined;

  attach(fastify: FastifyInstance, logger: JsonLogger, log: RequestLogHooks): void {
    this.attached = { fastify, logger, log };
  }

  readonly handle = (error: FastifyError, req: FastifyRequest, res: FastifyReply): void => {
    assignCorrelationId(req, res);
    if (this.attached === undefined) throw error;
    const { fastify, logger, log } = this.attached;
    res.raw.once('finish', () => log.record(req, res));
    sendProblem(logger, req, res, error.code === 'FST_ERR_BAD_URL' ? this.badUrl(fastify, req) : error);
  };

  private badUrl(fastify: FastifyInstance, req: FastifyRequest): Error {
    const query = req.url.indexOf('?');
    const segments = (query === -1 ? req.url : req.url.slice(0, query)).split('/');
    const bad = segments.find((segment) => !decodes(segment));
    // The same path with each undecodable segment as a plain word: does a route take it as a parameter?
    const probe = segments.map((segment) => (decodes(segment) ? segment : 'x')).join('/');
    // (A wildcard is no parameter: Express served /docs/* from a static middleware that passed such a path on, to the 404.)
    const found = fastify.findRoute({ method: req.method, url: probe }) as { params: Record<string, string | undefined> } | null;
    const routed = bad !== undefined && found !== null && !('*' in found.params);
    return routed ? new BadRequestException(`Failed to decode param '${bad}'`) : new NotFoundException(`Cannot ${req.method} ${req.url}`);
  }
}

function decodes(segment: string): boolean {
  try {
    decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}
