import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { runShutdown } from './shutdown.js';

const logger = createLogger({ service: 'test', level: 'silent' });

describe('runShutdown', () => {
  it('runs the steps in order and still runs the later ones when one fails', async () => {
    const order: string[] = [];
    const ok = await runShutdown({
      logger,
      steps: [
        { name: 'http', run: () => void order.push('http') },
        {
          name: 'consumer',
          run: () => {
            order.push('consumer');
            throw new Error('boom');
          },
        },
        { name: 'producer', run: async () => void order.push('producer') },
      ],
    });
    expect(order).toEqual(['http', 'consumer', 'producer']);
    expect(ok).toBe(false);
  });

  it('gives up after the time limit instead of hanging', async () => {
    const ok = await runShutdown({
      logger,
      timeoutMs: 50,
      steps: [{ name: 'stuck', run: () => new Promise(() => undefined) }],
    });
    expect(ok).toBe(false);
  });

  it('reports success when every step finished', async () => {
    expect(await runShutdown({ logger, steps: [{ name: 'a', run: () => undefined }] })).toBe(true);
  });
});
