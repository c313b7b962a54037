import { describe, expect, it } from 'vitest';
import { freePort, uniquePorts } from './launch.js';

describe('free ports for the services a test starts', () => {
  it('never hands out a port twice, even when the kernel picks a port it gave before', async () => {
    const kernelPicks = [40001, 40002, 40001, 40001, 40003];
    const next = uniquePorts(async () => kernelPicks.shift() ?? 0);
    expect([await next(), await next(), await next()]).toEqual([40001, 40002, 40003]);
  });

  it('gives ports nothing listens on, all different', async () => {
    const ports = [];
    for (let i = 0; i < 50; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(50);
    expect(ports.every((port) => port > 0)).toBe(true);
  });
});
