/** A problem response remembered under an Idempotency-Key, sent again exactly as it was. */
export class StoredProblem extends Error {
  constructor(readonly stored: { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: unknown }) {
    super('replayed problem response');
    this.name = 'StoredProblem';
  }
}
