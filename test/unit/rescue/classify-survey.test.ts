import {
  classifyScore,
  decideSurveyAction,
  defaultRescueRules,
  rescueRulesSchema,
  surveyResponseSchema,
  type SurveyResponseInput,
} from '../../../domain/rescue';

const response = (
  score: SurveyResponseInput['score'],
  customer: Partial<SurveyResponseInput['customer']> = {},
) =>
  surveyResponseSchema.parse({
    responseId: 'R-1',
    score,
    interaction: { id: 'CA1', queue: 'billing' },
    customer: { phone: '+12125550123', ...customer },
  });

describe('survey classes', () => {
  it.each([
    [{ type: 'nps', score: 0 }, 'detractor'],
    [{ type: 'nps', score: 6 }, 'detractor'],
    [{ type: 'nps', score: 7 }, 'passive'],
    [{ type: 'nps', score: 8 }, 'passive'],
    [{ type: 'nps', score: 9 }, 'promoter'],
    [{ type: 'csat', score: 2 }, 'detractor'],
    [{ type: 'csat', score: 3 }, 'passive'],
    [{ type: 'csat', score: 4 }, 'promoter'],
  ] as const)('%j is a %s', (score, expected) => {
    expect(classifyScore(score)).toBe(expected);
  });
});

describe('decideSurveyAction', () => {
  const goldOnly = rescueRulesSchema.parse({ rescueTiers: ['gold', 'platinum'] });

  it('rescues every detractor by default, thanks promoters, leaves passives alone', () => {
    expect(decideSurveyAction(response({ type: 'nps', score: 2 }), defaultRescueRules).action).toBe('rescue');
    expect(decideSurveyAction(response({ type: 'nps', score: 10 }), defaultRescueRules).action).toBe(
      'thank-you',
    );
    expect(decideSurveyAction(response({ type: 'nps', score: 8 }), defaultRescueRules).action).toBe('none');
  });

  it('rescues detractors outside the rescue tiers only on a repeat complaint', () => {
    expect(decideSurveyAction(response({ type: 'nps', score: 2 }, { tier: 'GOLD' }), goldOnly).action).toBe(
      'rescue',
    );
    expect(
      decideSurveyAction(response({ type: 'nps', score: 2 }, { tier: 'standard' }), goldOnly).action,
    ).toBe('none');
    expect(
      decideSurveyAction(
        response({ type: 'nps', score: 2 }, { tier: 'standard', recentComplaints: 1 }),
        goldOnly,
      ),
    ).toMatchObject({ action: 'rescue', reason: expect.stringContaining('repeat complaint') });
  });

  it('refuses a CSAT score outside 1–5 and a customer without a phone or e-mail', () => {
    expect(() => response({ type: 'csat', score: 9 })).toThrow('a CSAT score is 1–5');
    expect(() =>
      surveyResponseSchema.parse({
        responseId: 'R',
        score: { type: 'nps', score: 1 },
        interaction: { id: 'x', queue: 'q' },
        customer: {},
      }),
    ).toThrow('a customer needs a phone or an e-mail address');
  });
});
