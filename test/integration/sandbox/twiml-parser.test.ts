import { parseTwiml, TwimlParseError } from '../../../sandbox/twiml-parser';

describe('parseTwiml: the TwiML the sandbox executes', () => {
  it('reads verbs in order with attributes, nested nouns and decoded text', () => {
    const response = parseTwiml(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>
      <!-- agent leg -->
      <Response>
        <Say voice='Polly.Lucia' language="es-ES">Hola &amp; bienvenida &#x1F44B; &lt;3</Say>
        <Dial action="/dial?step=1&amp;x=2" timeout="20"><Number machineDetection="DetectMessageEnd">+14155550100</Number></Dial>
        <Play><![CDATA[https://example.com/a.mp3?x=<1>]]></Play>
        <Hangup/>
      </Response>`);
    expect(response.name).toBe('Response');
    expect(response.children.map((verb) => verb.name)).toEqual(['Say', 'Dial', 'Play', 'Hangup']);
    const [say, dial, play] = response.children;
    expect(say?.attributes).toEqual({ voice: 'Polly.Lucia', language: 'es-ES' });
    expect(say?.text).toBe('Hola & bienvenida 👋 <3');
    expect(dial?.attributes.action).toBe('/dial?step=1&x=2');
    expect(dial?.children[0]).toMatchObject({ name: 'Number', text: '+14155550100' });
    expect(play?.text).toBe('https://example.com/a.mp3?x=<1>');
    expect(parseTwiml('<Response/>').children).toEqual([]);
  });

  it.each([
    ['<Response><Say>x</Response>', /closes <Say>/],
    ['<Response><Say>x</Say>', /not closed/],
    ['<Speak/>', /not <Response>/],
    ['', /empty document/],
    ['<Response/><Response/>', /more than one root/],
    ['<!DOCTYPE x [<!ENTITY a "b">]><Response/>', /DTD/],
    ['<Response><Say>&nbsp;</Say></Response>', /unknown entity/],
    ['<Response><Say a="1" a="2"/></Response>', /duplicate attribute/],
    ['<Response><Say a=1/></Response>', /quoted value/],
    ['hello <Response/>', /text outside/],
  ])('refuses %s (Twilio: 12100 document parse failure)', (xml, message) => {
    expect(() => parseTwiml(xml)).toThrow(TwimlParseError);
    expect(() => parseTwiml(xml)).toThrow(message);
  });
});
