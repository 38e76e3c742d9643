import { ZodError } from 'zod';
import { ContactStoreNotFoundError, type UpsertAgentInput } from '../../../store';
import { describeEachBackend, freshStorePerTest } from './store-backends';

const T0 = Date.parse('2025-03-01T10:00:00Z');

function agent(id: string, overrides: Partial<UpsertAgentInput> = {}): UpsertAgentInput {
  return { id, name: `Agent ${id}`, address: `client:${id}`, skills: ['billing'], at: T0, ...overrides };
}

/** The paths zod named for a rejected input. */
async function rejectedPaths(promise: Promise<unknown>): Promise<string[]> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ZodError)) throw new Error(`expected a ZodError, got ${String(error)}`);
  return error.issues.map((issue) => issue.path.join('.'));
}

describeEachBackend('agents', (backend) => {
  const fixture = freshStorePerTest(backend);

  it('stores an agent and reads them back as given, skills and languages sorted and canonical', async () => {
    const { store } = fixture;
    const stored = await store.upsertAgent({
      id: 'alice',
      name: 'Alice Martín',
      address: '+34911234567',
      skills: ['spanish-sales', 'billing', 'billing'],
      languages: ['es', 'en-gb'],
      presence: 'available',
      at: T0,
    });
    const expected = {
      id: 'alice',
      name: 'Alice Martín',
      address: '+34911234567',
      skills: ['billing', 'spanish-sales'],
      languages: ['en-GB', 'es'],
      presence: 'available',
      presenceChangedAt: T0,
      createdAt: T0,
      updatedAt: T0,
    };
    expect(stored).toEqual(expected);
    expect(await store.getAgent('alice')).toEqual(expected);
    expect(await store.getAgent('bob')).toBeUndefined();
  });

  it('starts a new agent offline and replaces the profile on a second upsert, keeping presence and created time', async () => {
    const { store } = fixture;
    expect((await store.upsertAgent(agent('bob'))).presence).toBe('offline');
    await store.setPresence('bob', 'available', T0 + 1_000);
    const replaced = await store.upsertAgent(
      agent('bob', { name: 'Bob B.', address: 'sip:bob@pbx.example.com', skills: ['tech'], at: T0 + 5_000 }),
    );
    expect(replaced).toMatchObject({
      name: 'Bob B.',
      address: 'sip:bob@pbx.example.com',
      skills: ['tech'],
      languages: [],
      presence: 'available',
      presenceChangedAt: T0 + 1_000,
      createdAt: T0,
      updatedAt: T0 + 5_000,
    });
    expect(await store.listAgents({ skill: 'billing' })).toEqual([]);
  });

  it('lists agents by skill and by presence, in id order', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('carol', { skills: ['billing', 'tech'], presence: 'busy' }));
    await store.upsertAgent(agent('alice', { skills: ['billing'], presence: 'available' }));
    await store.upsertAgent(agent('bob', { skills: ['tech'], presence: 'available' }));
    const ids = (agents: readonly { id: string }[]) => agents.map((a) => a.id);
    expect(ids(await store.listAgents())).toEqual(['alice', 'bob', 'carol']);
    expect(ids(await store.listAgents({ skill: 'billing' }))).toEqual(['alice', 'carol']);
    expect(ids(await store.listAgents({ presence: 'available' }))).toEqual(['alice', 'bob']);
    expect(ids(await store.listAgents({ skill: 'tech', presence: 'busy' }))).toEqual(['carol']);
    expect(await store.listAgents({ skill: 'legal' })).toEqual([]);
  });

  it('finds only available agents with the skill and language, longest-available first', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('early', { languages: ['es'], presence: 'available', at: T0 }));
    await store.upsertAgent(
      agent('late', { languages: ['es', 'en'], presence: 'available', at: T0 + 2_000 }),
    );
    await store.upsertAgent(agent('middle', { languages: ['en'], presence: 'available', at: T0 + 1_000 }));
    await store.upsertAgent(agent('away', { languages: ['es'], presence: 'away', at: T0 - 5_000 }));
    await store.upsertAgent(
      agent('other-skill', { skills: ['tech'], presence: 'available', at: T0 - 5_000 }),
    );
    const ids = (agents: readonly { id: string }[]) => agents.map((a) => a.id);

    expect(ids(await store.findAvailableAgents({ skill: 'billing' }))).toEqual(['early', 'middle', 'late']);
    expect(ids(await store.findAvailableAgents({ skill: 'billing', language: 'es' }))).toEqual([
      'early',
      'late',
    ]);
    expect(ids(await store.findAvailableAgents({ skill: 'billing', language: 'EN' }))).toEqual([
      'middle',
      'late',
    ]);
    expect(await store.findAvailableAgents({ skill: 'billing', language: 'fr' })).toEqual([]);
    expect(await store.findAvailableAgents({ skill: 'legal' })).toEqual([]);

    // Going busy and back puts an agent at the end of the queue.
    await store.setPresence('early', 'busy', T0 + 3_000);
    await store.setPresence('early', 'available', T0 + 4_000);
    expect(ids(await store.findAvailableAgents({ skill: 'billing' }))).toEqual(['middle', 'late', 'early']);
  });

  it('changes presence, keeps the change time when the same presence is reported again, ignores stale reports', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('dana'));
    const available = await store.setPresence('dana', 'available', T0 + 1_000);
    expect(available).toMatchObject({ presence: 'available', presenceChangedAt: T0 + 1_000 });

    const again = await store.setPresence('dana', 'available', T0 + 2_000);
    expect(again).toMatchObject({
      presence: 'available',
      presenceChangedAt: T0 + 1_000,
      updatedAt: T0 + 2_000,
    });

    const stale = await store.setPresence('dana', 'offline', T0 + 500);
    expect(stale).toMatchObject({ presence: 'available', presenceChangedAt: T0 + 1_000 });

    expect(await store.setPresence('dana', 'busy', new Date(T0 + 3_000))).toMatchObject({
      presence: 'busy',
      presenceChangedAt: T0 + 3_000,
    });
  });

  it('refuses a presence change for an unknown agent with the not-found error', async () => {
    await expect(fixture.store.setPresence('nobody', 'available', T0)).rejects.toBeInstanceOf(
      ContactStoreNotFoundError,
    );
  });

  it('names the field that failed validation', async () => {
    const { store } = fixture;
    expect(await rejectedPaths(store.upsertAgent(agent('A-upper-case')))).toEqual(['id']);
    expect(await rejectedPaths(store.upsertAgent(agent('x')))).toEqual(['id']);
    expect(await rejectedPaths(store.upsertAgent(agent('erin', { address: '0034911234567' })))).toEqual([
      'address',
    ]);
    expect(await rejectedPaths(store.upsertAgent(agent('erin', { skills: ['Billing'] })))).toEqual([
      'skills.0',
    ]);
    expect(await rejectedPaths(store.upsertAgent(agent('erin', { languages: ['es', 'not a tag'] })))).toEqual(
      ['languages.1'],
    );
    expect(await rejectedPaths(store.upsertAgent(agent('erin', { name: '  ' })))).toEqual(['name']);
    expect(
      await rejectedPaths(store.upsertAgent(agent('erin', { presence: 'lunch' as unknown as 'away' }))),
    ).toEqual(['presence']);
    expect(await store.listAgents()).toEqual([]);
  });

  it('removes an agent with their skills and languages', async () => {
    const { store } = fixture;
    await store.upsertAgent(agent('frank', { languages: ['fr'], presence: 'available' }));
    await store.upsertAgent(agent('gina', { presence: 'available' }));
    expect(await store.removeAgent('frank')).toBe(true);
    expect(await store.removeAgent('frank')).toBe(false);
    expect(await store.getAgent('frank')).toBeUndefined();
    expect((await store.findAvailableAgents({ skill: 'billing' })).map((a) => a.id)).toEqual(['gina']);
    // A new agent with the same id starts from scratch.
    const again = await store.upsertAgent(agent('frank', { skills: ['tech'], at: T0 + 9_000 }));
    expect(again).toMatchObject({
      skills: ['tech'],
      languages: [],
      presence: 'offline',
      createdAt: T0 + 9_000,
    });
  });
});
