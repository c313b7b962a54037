import { ThroughputWindow } from '@wa-broker/shared/meta-throughput';
import { describe, expect, it } from 'vitest';
import { type WindowPlace, windowDecision } from './send-slots.js';

const rule = { limit: 3, windowMs: 1_000, pollMs: 5 };
const decide = (places: WindowPlace[], nowMs: number) => windowDecision({ ...rule, places, nowMs });

describe('windowDecision', () => {
  it('grants while fewer than the limit hold a place; a place a window after its answer is free', () => {
    expect(decide([], 0)).toEqual({ grant: true });
    expect(decide([{ answeredAt: 10 }, { answeredAt: 200 }], 400)).toEqual({ grant: true });
    expect(decide([{ answeredAt: 10 }, { answeredAt: 200 }, { answeredAt: 300 }], 1_010)).toEqual({
      grant: true,
    });
  });

  it('when full, waits exactly until the earliest answered place is a window old', () => {
    const places = [{ answeredAt: 100 }, { answeredAt: 300 }, { answeredAt: 10_400 }];
    expect(decide(places, 500)).toEqual({ grant: false, waitMs: 600 });
    expect(decide(places, 1_099.5)).toEqual({ grant: false, waitMs: 0.5 });
    // A window after its answer the place is free: no sooner, no later.
    expect(decide(places, 1_100)).toEqual({ grant: true });
  });

  it('looks again soon when every place is held by a send still in flight', () => {
    const inFlight = [{ answeredAt: 11_000 }, { answeredAt: 11_010 }, { answeredAt: 11_020 }];
    expect(decide(inFlight, 30)).toEqual({ grant: false, waitMs: rule.pollMs });
  });

  it('keeps Meta under the limit however each send’s arrival falls between its grant and its answer', () => {
    // A deterministic run: senders always waiting, each call taking 0–80 ms, reaching Meta at any point of it.
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const limit = 80;
    const arrivals: number[] = [];
    const places = new Map<number, WindowPlace>();
    const answers: { at: number; id: number }[] = [];
    let sent = 0;
    for (let now = 0; now < 20_000; now += 0.5) {
      for (const answer of answers.filter((a) => a.at <= now)) {
        places.set(answer.id, { answeredAt: answer.at });
        answers.splice(answers.indexOf(answer), 1);
      }
      for (const [id, place] of places) if (place.answeredAt + 1_000 <= now) places.delete(id);
      const decision = windowDecision({
        places: [...places.values()],
        nowMs: now,
        limit,
        windowMs: 1_000,
        pollMs: 5,
      });
      if (!decision.grant) continue;
      const id = sent++;
      const roundTrip = random() * 80;
      places.set(id, { answeredAt: now + 10_000 });
      answers.push({ at: now + roundTrip, id });
      arrivals.push(now + random() * roundTrip);
    }
    // Meta sees them in the order they arrive.
    const meta = new ThroughputWindow();
    const refused = arrivals.sort((a, b) => a - b).filter((at) => !meta.tryTake('n', limit, at));
    expect(refused).toEqual([]);
    // limit per (window + round trip): ≥ 80 / 1.08 per second.
    expect(sent / 20).toBeGreaterThan(limit / 1.08 - 1);
  });
});
