import { hash, timingSafeEqual } from 'node:crypto';

export type Role = 'editor' | 'chief' | 'auditor';
export const ROLES: readonly Role[] = ['editor', 'chief', 'auditor'];

/** What a role may do. Editors write developments; chiefs also publish and correct; auditors only read. */
export type Permission = 'story:read' | 'story:write' | 'story:publish' | 'story:correct' | 'audit:read';

const grants: Record<Role, readonly Permission[]> = {
  editor: ['story:read', 'story:write'],
  chief: ['story:read', 'story:write', 'story:publish', 'story:correct', 'audit:read'],
  auditor: ['story:read', 'audit:read'],
};

export function may(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

export interface Principal {
  readonly editorId: string;
  readonly role: Role;
}

export class TokenConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenConfigError';
  }
}

/** One-shot `hash` (Node 20.12+): no Hash object per request. */
const digest = (token: string): Buffer => hash('sha256', token, 'buffer');

/**
 * Bearer tokens from NEWSROOM_TOKENS (`token:editorId:role,...`). Tokens are kept only as SHA-256
 * digests and compared in constant time, so neither memory dumps nor timing reveal them.
 */
export class AccessTokens {
  private constructor(private readonly entries: readonly { digest: Buffer; principal: Principal }[]) {}

  static parse(spec: string | undefined): AccessTokens {
    if (!spec || spec.trim() === '') {
      throw new TokenConfigError('NEWSROOM_TOKENS is not set: give it as "token:editorId:role,..." (npm start creates one for you).');
    }
    const entries = spec.split(',').map((part, index) => {
      const fields = part.trim().split(':');
      const [token, editorId, role] = fields;
      if (fields.length !== 3 || !token || !editorId || !role) {
        throw new TokenConfigError(`NEWSROOM_TOKENS entry ${index + 1} must be token:editorId:role`);
      }
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new TokenConfigError(`NEWSROOM_TOKENS entry ${index + 1} has unknown role "${role}" (editor, chief or auditor)`);
      }
      if (token.length < 16) throw new TokenConfigError(`NEWSROOM_TOKENS entry ${index + 1}: tokens must be at least 16 characters`);
      return { digest: digest(token), principal: { editorId, role: role as Role } };
    });
    return new AccessTokens(entries);
  }

  /** The principal for a presented token, or undefined. Checks every entry so timing does not depend on which matched. */
  authenticate(token: string): Principal | undefined {
    const presented = digest(token);
    let found: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presented)) found = entry.principal;
    }
    return found;
  }
}
