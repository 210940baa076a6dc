import { NotFoundException } from '@nestjs/common';
import { json } from 'body-parser';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RawRequestDefaultExpression } from 'fastify';
import { type JsonLogger } from '../observability/json-logger';
import { type RequestLogHooks } from '../observability/request-log.hooks';
import { assignCorrelationId } from './correlation-id';
import { InvalidRequest } from './edge-errors';
import { pathOf } from './headers';
import { sendProblem } from './problem-details.filter';

type RawWithBody = RawRequestDefaultExpression & { body?: unknown };

/** The Content-Types the fast path takes as they are; every other one goes through body-parser. */
const PLAIN_JSON = new Set(['application/json', 'application/json; charset=utf-8']);
/** JSON's whitespace (space, tab, LF, CR), then the first other character (or nothing). */
const LEADING_WHITESPACE = /^[ \t\n\r]*([^ \t\n\r]|$)/;

/**
 * Parses JSON text as body-parser (strict) does: an empty body is `{}`, and a text that does not
 * start with an object or an array is a SyntaxError worded like JSON.parse's own, naming the text.
 */
export function parseStrictJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = LEADING_WHITESPACE.exec(text)?.[1] ?? '';
  if (first !== '{' && first !== '[') throw strictViolation(text, first);
  return JSON.parse(text);
}

/**
 * JSON.parse's message for the text with everything from its first character on masked by '#',
 * the masks then replaced by the text they hide: `Unexpected token '4', " 42" is not valid JSON`.
 */
function strictViolation(text: string, first: string): SyntaxError {
  // Only whitespace: nothing to mask, and JSON.parse('') says the input ended.
  const index = first === '' ? -1 : text.indexOf(first);
  const masked = index === -1 ? '' : text.slice(0, index) + '#'.repeat(text.length - index);
  try {
    JSON.parse(masked);
  } catch (error) {
    return new SyntaxError((error as Error).message.replace(/#+/g, (run) => text.substring(index, index + run.length)));
  }
  return new SyntaxError('strict violation');
}

/**
 * A body that is not JSON, as the problem document names it: from the fast path's parser or
 * body-parser's (a SyntaxError it marks `entity.parse.failed`). Left to the framework, a SyntaxError
 * with status 400 became a bare BadRequestException that no longer said it was the body.
 */
function bodyNotJson(error: SyntaxError): InvalidRequest {
  return new InvalidRequest([{ path: 'body', message: error.message }], `The request body is not valid JSON: ${error.message}`);
}

function isBodyParseError(error: unknown): error is SyntaxError {
  return error instanceof SyntaxError && (error as SyntaxError & { type?: unknown }).type === 'entity.parse.failed';
}

/**
 * Reads a JSON body, for every method, before routing, with the rules the API has always had:
 * body-parser's (the parser Express used): strict (an object or an array), utf-* charsets only
 * (415 otherwise), gzip/deflate/br bodies inflated, over `limitBytes` a 413, the same error types
 * and messages (the problem mapping turns them into problem documents). A body of another type is
 * not read (the require-JSON hook has already refused one on a write).
 *
 * What nearly every request is, a request without a body or a plain UTF-8 JSON body with its
 * Content-Length within the limit, is read here directly, the same way (body-parser's content-type
 * parsing, charset decoder and stream plumbing cost more than the rest of a small write's edge);
 * anything else (another JSON type or charset, an encoded, chunked or oversized body) goes through
 * body-parser itself.
 */
export function readJsonBody(limitBytes: number) {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  const viaBodyParser = (req: FastifyRequest, res: FastifyReply, done: HookHandlerDoneFunction): void => {
    parse(req.raw, res.raw, (error?: unknown) => {
      if (error !== undefined) {
        done(isBodyParseError(error) ? bodyNotJson(error) : (error as Error));
        return;
      }
      req.body = (req.raw as RawWithBody).body;
      done();
    });
  };
  return (req: FastifyRequest, res: FastifyReply, done: HookHandlerDoneFunction): void => {
    const { headers } = req;
    const length = headers['content-length'];
    if (length === undefined && headers['transfer-encoding'] === undefined) {
      done();
      return;
    }
    const type = headers['content-type'];
    const encoding = headers['content-encoding'];
    if (
      length === undefined ||
      !/^\d{1,15}$/.test(length) ||
      Number(length) > limitBytes ||
      headers['transfer-encoding'] !== undefined ||
      (encoding !== undefined && encoding.toLowerCase() !== 'identity') ||
      type === undefined ||
      !PLAIN_JSON.has(type.toLowerCase())
    ) {
      viaBodyParser(req, res, done);
      return;
    }
    readPlainJson(req, done);
  };
}

function readPlainJson(req: FastifyRequest, done: HookHandlerDoneFunction): void {
  const raw = req.raw;
  const chunks: Buffer[] = [];
  const cleanup = (): void => {
    raw.off('data', onData);
    raw.off('end', onEnd);
    raw.off('error', onError);
    raw.off('aborted', onAborted);
  };
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
  };
  const onEnd = (): void => {
    cleanup();
    const [only] = chunks;
    let text = (chunks.length === 1 && only ? only : Buffer.concat(chunks)).toString('utf8');
    // body-parser's UTF-8 decoder drops a byte order mark.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    try {
      req.body = parseStrictJson(text);
    } catch (error) {
      done(bodyNotJson(error as SyntaxError));
      return;
    }
    done();
  };
  const onError = (error: Error): void => {
    cleanup();
    done(error);
  };
  const onAborted = (): void => {
    cleanup();
    done(Object.assign(new Error('request aborted'), { status: 400, type: 'request.aborted' }));
  };
  raw.on('data', onData);
  raw.on('end', onEnd);
  raw.on('error', onError);
  raw.on('aborted', onAborted);
}

/**
 * The only content-type parser: the body was read by `readJsonBody`, so Fastify neither refuses a
 * media type itself (FST_ERR_CTP_INVALID_MEDIA_TYPE) nor parses JSON by its own rules.
 */
export function anyContentTypeParser(req: FastifyRequest, _payload: RawRequestDefaultExpression, done: (error: Error | null, body?: unknown) => void): void {
  done(null, req.body);
}

/**
 * Fastify's framework errors (a path whose %-escapes do not decode) are answered before any hook
 * runs: this gives them a correlation id, the problem document Express gave, and a log line.
 * Express matched the raw path first and decoded only the parameters of the route it matched: a
 * bad escape in a parameter is a 400 (which names the path, not the body, as what is wrong),
 * anywhere else the path names no route (404).
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
    const segments = pathOf(req).split('/');
    const bad = segments.find((segment) => !decodes(segment));
    // The same path with each undecodable segment as a plain word: does a route take it as a parameter?
    const probe = segments.map((segment) => (decodes(segment) ? segment : 'x')).join('/');
    // (A wildcard is no parameter: Express served /docs/* from a static middleware that passed such a path on, to the 404.)
    const found = fastify.findRoute({ method: req.method, url: probe }) as { params: Record<string, string | undefined> } | null;
    const routed = bad !== undefined && found !== null && !('*' in found.params);
    return routed
      ? new InvalidRequest([{ path: 'path', message: `'${bad}' is not a valid %-escape` }], `The request path does not decode: '${bad}' is not a valid %-escape`)
      : new NotFoundException(`Cannot ${req.method} ${req.url}`);
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
