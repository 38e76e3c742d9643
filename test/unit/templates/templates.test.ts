import {
  buildCatalog,
  catalogProblems,
  defaultMessageCatalog,
  renderTemplate,
  TemplateError,
} from '../../../domain/templates';

describe('message templates', () => {
  it('ships a default catalog with every template in English and Spanish and no stray placeholder', () => {
    expect(catalogProblems(defaultMessageCatalog)).toEqual([]);
  });

  it('renders in the customer locale, falling back from region to language to English', () => {
    const vars = { company: 'Acme', eta: 'within about 20 minutes' };
    expect(renderTemplate(defaultMessageCatalog, 'sms.callback.acknowledged', 'es-MX', vars)).toEqual({
      locale: 'es',
      text: expect.stringContaining(
        'Acme: sentimos no haberle atendido. Le llamaremos within about 20 minutes.',
      ),
    });
    expect(renderTemplate(defaultMessageCatalog, 'sms.callback.acknowledged', 'fr', vars).locale).toBe('en');
  });

  it('renders an e-mail subject and body', () => {
    const rendered = renderTemplate(defaultMessageCatalog, 'email.callback.unreachable', 'en', {
      company: 'Acme',
      name: 'Ana',
    });
    expect(rendered.subject).toBe('Acme: we tried to call you back');
    expect(rendered.text).toMatch(/^Hello Ana,/);
  });

  it('refuses to render with a missing variable instead of leaving a blank', () => {
    expect(() => renderTemplate(defaultMessageCatalog, 'sms.help', 'en', {})).toThrow(
      new TemplateError('template sms.help: missing variable(s) company'),
    );
    expect(() => renderTemplate(defaultMessageCatalog, 'sms.nope', 'en', {})).toThrow(/unknown template/);
  });

  it('rejects at start-up an override that uses an undeclared variable or lacks a locale', () => {
    expect(() =>
      buildCatalog(defaultMessageCatalog, {
        'sms.help': { variables: ['company'], text: { en: '{{company}} {{brand}} help' } },
      }),
    ).toThrow(/sms\.help\.text\.es: missing[\s\S]*sms\.help\.text\.en: uses \{\{brand\}\}/);
    expect(() => buildCatalog(defaultMessageCatalog, { 'Bad Id': { variables: [], text: {} } })).toThrow(
      /Bad Id/,
    );
  });

  it('accepts a valid override and keeps the other defaults', () => {
    const catalog = buildCatalog(defaultMessageCatalog, {
      'sms.help': { variables: ['company'], text: { en: '{{company}} help line', es: '{{company}} ayuda' } },
    });
    expect(renderTemplate(catalog, 'sms.help', 'en', { company: 'Acme' }).text).toBe('Acme help line');
    expect(catalog['sms.optout.confirmed']).toBe(defaultMessageCatalog['sms.optout.confirmed']);
  });
});
