/**
 * The store refused a write because it would contradict what is stored: the caller has a bug
 * (an attempt key reused for another send, a second provider id for one attempt). Not retryable.
 */
export class ContactStoreConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContactStoreConflictError';
  }
}

/** The record the caller named does not exist (e.g. `recordProviderId` before `beginAttempt`). */
export class ContactStoreNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContactStoreNotFoundError';
  }
}

/** A unique constraint refused the write (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
