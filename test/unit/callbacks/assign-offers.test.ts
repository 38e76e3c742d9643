import fc from 'fast-check';
import {
  assignOffers,
  isEligible,
  speaksLanguage,
  type FreeAgent,
  type WaitingCallback,
} from '../../../domain/callbacks/assign-offers';

const agent = (id: string, skills: string[], presenceChangedAt: number, languages = ['en']): FreeAgent => ({
  id,
  skills,
  languages,
  presenceChangedAt,
});
const waiting = (workflowId: string, extra: Partial<WaitingCallback> = {}): WaitingCallback => ({
  workflowId,
  skill: 'sales',
  priority: 0,
  requestedAtMs: 0,
  declinedAgentIds: [],
  ...extra,
});

describe('assignOffers', () => {
  it('serves the highest priority first, then the earliest request, with the agent available longest', () => {
    const offers = assignOffers(
      [
        waiting('late', { requestedAtMs: 20 }),
        waiting('urgent', { priority: 30, requestedAtMs: 50 }),
        waiting('early', { requestedAtMs: 10 }),
      ],
      [agent('newcomer', ['sales'], 500), agent('veteran', ['sales'], 100)],
      1_000,
    );
    expect(offers).toEqual([
      { workflowId: 'urgent', agentId: 'veteran' },
      { workflowId: 'early', agentId: 'newcomer' },
    ]);
  });

  it('prefers the agent who served the customer before, and waits for them alone while told to', () => {
    const callbacks = [waiting('c', { preferredAgentId: 'owner', preferredOnlyUntilMs: 2_000 })];
    expect(
      assignOffers(callbacks, [agent('other', ['sales'], 0), agent('owner', ['sales'], 900)], 1_000),
    ).toEqual([{ workflowId: 'c', agentId: 'owner' }]);
    expect(assignOffers(callbacks, [agent('other', ['sales'], 0)], 1_000)).toEqual([]);
    expect(assignOffers(callbacks, [agent('other', ['sales'], 0)], 2_000)).toEqual([
      { workflowId: 'c', agentId: 'other' },
    ]);
  });

  it('skips a callback nobody free can take, so it never blocks the ones behind it', () => {
    const offers = assignOffers(
      [waiting('french', { priority: 99, language: 'fr' }), waiting('english', { language: 'en' })],
      [agent('ana', ['sales'], 0)],
      0,
    );
    expect(offers).toEqual([{ workflowId: 'english', agentId: 'ana' }]);
  });

  it('never offers an agent twice, a callback twice, or to an ineligible agent', () => {
    const skills = ['sales', 'billing'];
    const arbitraryAgent = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      skills: fc.subarray(skills),
      languages: fc.subarray(['en', 'es-ES', 'fr']),
      presenceChangedAt: fc.nat(1_000),
    });
    const arbitraryCallback = fc.record({
      workflowId: fc.constantFrom('w1', 'w2', 'w3', 'w4', 'w5', 'w6'),
      skill: fc.constantFrom(...skills),
      language: fc.option(fc.constantFrom('en', 'es-MX', 'fr'), { nil: undefined }),
      priority: fc.integer({ min: 0, max: 50 }),
      requestedAtMs: fc.nat(1_000),
      declinedAgentIds: fc.subarray(['a', 'b', 'c']),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbitraryCallback, { selector: (callback) => callback.workflowId }),
        fc.uniqueArray(arbitraryAgent, { selector: (free) => free.id }),
        (callbacks, agents) => {
          const offers = assignOffers(callbacks, agents, 0);
          expect(new Set(offers.map((offer) => offer.agentId)).size).toBe(offers.length);
          expect(new Set(offers.map((offer) => offer.workflowId)).size).toBe(offers.length);
          for (const offer of offers) {
            const callback = callbacks.find((candidate) => candidate.workflowId === offer.workflowId)!;
            const chosen = agents.find((candidate) => candidate.id === offer.agentId)!;
            expect(isEligible(chosen, callback)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('speaksLanguage', () => {
  it.each([
    [['es-ES'], 'es-MX', true],
    [['es'], 'es-MX', true],
    [['en-GB'], 'en', true],
    [['en'], 'es', false],
    [[], undefined, true],
  ])('an agent speaking %j serves a customer speaking %s: %s', (languages, language, expected) => {
    expect(speaksLanguage(languages, language)).toBe(expected);
  });
});
