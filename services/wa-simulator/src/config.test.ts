import { loadConfig } from '@wa-broker/shared/config';
import { checkTemplateDefinition } from '@wa-broker/shared/template-definition-rules';
import { describe, expect, it } from 'vitest';
import { businessNumbers, simulatorConfig } from './config.js';

const base = { SIM_APP_SECRET: 'sim_test_secret', SIM_ACCESS_TOKENS: 'token_a,token_a2' };
const load = (env: Record<string, string>) => loadConfig(simulatorConfig, { ...base, ...env });

describe('SIM_EXTRA_NUMBERS', () => {
  it('is optional: without it the simulator is the one number of SIM_PHONE_NUMBER_ID', () => {
    for (const env of [{}, { SIM_EXTRA_NUMBERS: '' }] as Record<string, string>[])
      expect(businessNumbers(load(env))).toEqual([
        {
          wabaId: '102290129340398',
          phoneNumberId: '106540352242922',
          displayPhoneNumber: '15550009999',
          accessTokens: ['token_a', 'token_a2'],
          throughputPerSecond: 80,
        },
      ]);
  });

  it("adds numbers after the first, with the first's WABA and tokens and 80/s unless they set their own", () => {
    const numbers = businessNumbers(
      load({
        SIM_THROUGHPUT_PER_SECOND: '20',
        SIM_EXTRA_NUMBERS: JSON.stringify([
          { phone_number_id: '2002', display_phone_number: '15550008888' },
          {
            phone_number_id: '2003',
            display_phone_number: '+1 555-000-7777',
            waba_id: '1003',
            token: 'token_c',
            throughput_per_second: 1000,
          },
        ]),
      }),
    );
    expect(numbers.map((number) => number.phoneNumberId)).toEqual(['106540352242922', '2002', '2003']);
    expect(numbers[0]?.throughputPerSecond).toBe(20);
    expect(numbers[1]).toEqual({
      wabaId: '102290129340398',
      phoneNumberId: '2002',
      displayPhoneNumber: '15550008888',
      accessTokens: ['token_a', 'token_a2'],
      throughputPerSecond: 80,
    });
    expect(numbers[2]).toMatchObject({
      wabaId: '1003',
      accessTokens: ['token_c'],
      throughputPerSecond: 1000,
    });
  });

  it('is refused at boot when it is no JSON, has unknown or missing fields, or repeats a phone_number_id', () => {
    for (const value of [
      'not json',
      '{"phone_number_id":"2002"}',
      '[{"phone_number_id":"2002"}]',
      '[{"phone_number_id":"abc","display_phone_number":"1"}]',
      '[{"phone_number_id":"2002","display_phone_number":"1","tokens":["x"]}]',
      '[{"phone_number_id":"2002","display_phone_number":"1","throughput_per_second":0}]',
      '[{"phone_number_id":"106540352242922","display_phone_number":"1"}]',
      '[{"phone_number_id":"2002","display_phone_number":"1"},{"phone_number_id":"2002","display_phone_number":"2"}]',
    ])
      expect(() => load({ SIM_EXTRA_NUMBERS: value }), value).toThrow(/SIM_EXTRA_NUMBERS/);
  });
});

describe('media settings', () => {
  it("default to Meta's 5-minute URLs and take a shorter TTL and a public URL", () => {
    expect(load({}).SIM_MEDIA_URL_TTL_MS).toBe(300_000);
    expect(load({}).SIM_PUBLIC_URL).toBeUndefined();
    const set = load({ SIM_MEDIA_URL_TTL_MS: '250', SIM_PUBLIC_URL: 'http://wa-simulator:4010/' });
    expect([set.SIM_MEDIA_URL_TTL_MS, set.SIM_PUBLIC_URL]).toEqual([250, 'http://wa-simulator:4010']);
    expect(() => load({ SIM_MEDIA_URL_TTL_MS: '0' })).toThrow(/SIM_MEDIA_URL_TTL_MS/);
  });
});

describe('SIM_TEMPLATES', () => {
  it("defaults to hello_world and the repo's templates, each a definition Meta would accept", () => {
    const seeds = load({}).SIM_TEMPLATES;
    expect(seeds.map((seed) => seed.name)).toEqual([
      'hello_world',
      'order_shipped',
      'order_followup',
      'order_update',
      'follow_up',
    ]);
    for (const seed of seeds) expect(checkTemplateDefinition(seed)).toEqual([]);
  });

  it('refuses a seed Meta would refuse, naming the template and the field', () => {
    const seeds = JSON.stringify([
      {
        name: 'Bad Name',
        language: 'en_US',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hi.' }],
      },
    ]);
    expect(() => load({ SIM_TEMPLATES: seeds })).toThrow(/SIM_TEMPLATES.*Bad Name: name/);
    expect(() => load({ SIM_TEMPLATES: 'not json' })).toThrow(/SIM_TEMPLATES/);
  });
});
