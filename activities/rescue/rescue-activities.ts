import type { ContactStore } from '../../store';

/** What a survey rescue records outside the workflow. The callback itself: startOrJoinCallback. */
export function createRescueActivities(deps: { store: ContactStore }) {
  return {
    /** The score against the agent who handled the interaction; once per survey response. */
    async recordAgentScore(input: {
      responseId: string;
      agentId: string;
      type: 'csat' | 'nps';
      score: number;
      at: number;
    }): Promise<boolean> {
      return deps.store.recordAgentScore(input);
    },
  };
}

export type RescueActivities = ReturnType<typeof createRescueActivities>;
