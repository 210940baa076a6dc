import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export type Claim =
  /** `recovering`: an earlier request with this key died holding it; it may have written already. */
  | { readonly outcome: 'claimed'; readonly recovering: boolean }
  | { readonly outcome: 'replay'; readonly response: StoredResponse }
  | { readonly outcome: 'mismatch' }
  | { readonly outcome: 'in_progress' };

/** How long a key is remembered, and how long one request may hold it before another may take over. */
const RETENTION = '24 hours';
const LEASE_SECONDS = 30;

interface Row {
  request_hash: string;
  state: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
}

@Injectable()
export class IdempotencyStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims a key for this request, or tells what to do instead. A key older than the retention
   * period, or abandoned by a request that died holding it, is taken over.
   */
  async claim(principal: string, key: string, requestHash: string): Promise<Claim> {
    const claimed: { taken_over: boolean }[] = await this.db.query(
      `INSERT INTO api.idempotency_keys (principal, key, request_hash, state, lease_expires_at)
       VALUES ($1, $2, $3, 'in_progress', now() + make_interval(secs => $4))
       ON CONFLICT (principal, key) DO UPDATE
         SET request_hash = EXCLUDED.request_hash, state = 'in_progress', response_status = NULL,
             response_headers = NULL, response_body = NULL, created_at = now(), lease_expires_at = EXCLUDED.lease_expires_at
         WHERE api.idempotency_keys.created_at < now() - interval '${RETENTION}'
            OR (api.idempotency_keys.state = 'in_progress' AND api.idempotency_keys.lease_expires_at < now()
                AND api.idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING (xmax <> 0) AS taken_over`,
      [principal, key, requestHash, LEASE_SECONDS],
    );
    const [won] = claimed;
    if (won) return { outcome: 'claimed', recovering: won.taken_over };
    const rows: Row[] = await this.db.query(
      `SELECT request_hash, state, response_status, response_headers, response_body
         FROM api.idempotency_keys WHERE principal = $1 AND key = $2`,
      [principal, key],
    );
    const row = rows[0];
    if (!row) return this.claim(principal, key, requestHash);
    if (row.request_hash !== requestHash) return { outcome: 'mismatch' };
    if (row.state === 'in_progress' || row.response_status === null) return { outcome: 'in_progress' };
    return { outcome: 'replay', response: { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body } };
  }

  async complete(principal: string, key: string, response: StoredResponse): Promise<void> {
    await this.db.query(
      `UPDATE api.idempotency_keys
          SET state = 'completed', response_status = $3, response_headers = $4, response_body = $5
        WHERE principal = $1 AND key = $2`,
      [principal, key, response.status, JSON.stringify(response.headers), JSON.stringify(response.body ?? null)],
    );
  }

  /** Forgets a claim whose request failed on our side, so the client's retry runs it again. */
  async release(principal: string, key: string): Promise<void> {
    await this.db.query(`DELETE FROM api.idempotency_keys WHERE principal = $1 AND key = $2 AND state = 'in_progress'`, [principal, key]);
  }

  /** Drops keys past their retention; run periodically. */
  async purgeExpired(): Promise<number> {
    const result: [unknown[], number] = await this.db.query(`DELETE FROM api.idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`);
    return result[1];
  }
}
