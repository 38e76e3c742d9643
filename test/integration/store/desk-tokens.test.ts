import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describeEachBackend, freshStorePerTest } from './store-backends';

const T0 = Date.parse('2025-03-01T10:00:00Z');

describeEachBackend('desk tokens', (backend) => {
  const fixture = freshStorePerTest(backend);

  it('stores only a digest of each token and resolves the token to its role and subject', async () => {
    const { store, db } = fixture;
    const issued = await store.issueDeskToken({
      role: 'agent',
      subjectId: 'ana',
      label: 'ana laptop',
      at: T0,
    });
    expect(issued.token).toMatch(/^rdt_[A-Za-z0-9_-]{43}$/);
    const rows = await sql<{ token_digest: string }>`select token_digest from desk_tokens`.execute(db);
    expect(rows.rows).toEqual([{ token_digest: createHash('sha256').update(issued.token).digest('hex') }]);
    expect(JSON.stringify(rows.rows)).not.toContain(issued.token);
    await expect(store.resolveDeskToken(issued.token)).resolves.toEqual({ role: 'agent', subjectId: 'ana' });
    await expect(store.resolveDeskToken(`${issued.token}x`)).resolves.toBeUndefined();
    await expect(store.resolveDeskToken('not-a-desk-token')).resolves.toBeUndefined();
  });

  it('revokes every token of a subject and no other', async () => {
    const { store } = fixture;
    const first = await store.issueDeskToken({ role: 'supervisor', subjectId: 'sam', at: T0 });
    const second = await store.issueDeskToken({ role: 'supervisor', subjectId: 'sam', at: T0 });
    const other = await store.issueDeskToken({ role: 'agent', subjectId: 'ben', at: T0 });
    expect(first.token).not.toBe(second.token);
    await expect(store.revokeDeskTokens('sam')).resolves.toBe(2);
    await expect(store.resolveDeskToken(first.token)).resolves.toBeUndefined();
    await expect(store.resolveDeskToken(second.token)).resolves.toBeUndefined();
    await expect(store.resolveDeskToken(other.token)).resolves.toEqual({ role: 'agent', subjectId: 'ben' });
  });

  it('refuses a subject id that is not a lower-case handle, naming the field', async () => {
    const { store } = fixture;
    await expect(store.issueDeskToken({ role: 'agent', subjectId: 'Ana Smith', at: T0 })).rejects.toThrow(
      /subjectId/,
    );
  });
});
