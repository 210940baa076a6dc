import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { headerOf } from '../http/headers';
import { Forbidden, Unauthenticated } from '../http/edge-errors';
import { AccessTokens, may, type Permission, type Principal } from './access-tokens';

const PERMISSION = 'newsroom:permission';
const PUBLIC = 'newsroom:public';

/** The permission a route needs. Routes without one (and not @Public) need story:read. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator => SetMetadata(PERMISSION, permission);
/** Health, metrics and API docs: reachable without a token. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

const principalKey = Symbol('principal');
type WithPrincipal = FastifyRequest & { [principalKey]?: Principal };

export function principalOf(req: FastifyRequest): Principal {
  const principal = (req as WithPrincipal)[principalKey];
  if (!principal) throw new Unauthenticated('No authenticated principal on this request');
  return principal;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = headerOf(req, 'authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw new Unauthenticated('Send Authorization: Bearer <token>.');
    const principal = this.tokens.authenticate(match[1]);
    if (!principal) throw new Unauthenticated('The bearer token is not valid.');
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION, targets) ?? 'story:read';
    if (!may(principal.role, permission)) {
      throw new Forbidden(`The ${principal.role} role does not have ${permission}.`);
    }
    (req as WithPrincipal)[principalKey] = principal;
    return true;
  }
}
