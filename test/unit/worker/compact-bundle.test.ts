import { asciiOnly } from '../../../worker/compact-bundle';

describe('asciiOnly (the workflow bundle kept one byte per character)', () => {
  // Every place a bundle holds such characters: comments, strings, templates, regular expressions.
  const source = `
    // Whatever ends the run — an outcome, a failure
    const name = 'Sí — 1–128 → ✖ 😀';
    const line = \`✖ \${name.length} → at\`;
    const trailing = /[.!¡?¿]+$/u;
    const dash = /–/;
    return [name, line, 'Hola!¡¿'.replace(trailing, ''), dash.test('1–2'), dash.test('1-2')];
  `;

  it('writes nothing above U+007F', () => {
    expect(asciiOnly(source)).not.toMatch(/[\u0080-\uffff]/);
  });

  it('leaves the code meaning exactly what it meant', () => {
    const original = new Function(source)() as unknown[];
    expect(new Function(asciiOnly(source))()).toEqual(original);
    expect(original).toEqual(['Sí — 1–128 → ✖ 😀', '✖ 17 → at', 'Hola', true, false]);
  });
});
