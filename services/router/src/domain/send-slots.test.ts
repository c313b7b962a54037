import { ThroughputWindow } from '@wa-broker/shared/meta-throughput';
import { describe, expect, it } from 'vitest';
import { type WindowPlace, windowDecision } from './send-slots.js';

const rule = { limit: 3, windowMs: 1_000, pollMs: 5, leadMs: 0 };
const decide = (places: WindowPlace[], nowMs: number) => windowDecision({ ...rule, places, nowMs });

describe('windowDecision', () => {
  it('grants while fewer than the limit hold a place; a place a window after its answer is free', () => {
    expect(decide([], 0)).toEqual({ grant: true, startMs: 0 });
    expect(decide([{ answeredAt: 10 }, { answeredAt: 200 }], 400)).toEqual({ grant: true, startMs: 400 });
    expect(decide([{ answeredAt: 10 }, { answeredAt: 200 }, { answeredAt: 300 }], 1_010)).toEqual({
      grant: true,
      startMs: 1_010,
    });
  });

  it('when full, waits exactly until the earliest answered place is a window old', () => {
    const places = [{ answeredAt: 100 }, { answeredAt: 300 }, { answeredAt: 10_400 }];
    expect(decide(places, 500)).toEqual({ grant: false, waitMs: 600 });
    expect(decide(places, 1_099.5)).toEqual({ grant: false, waitMs: 0.5 });
    // A window after its answer the place is free: no sooner, no later.
    expect(decide(places, 1_100)).toEqual({ grant: true, startMs: 1_100 });
  });

  it('grants a place that frees within the lead ahead, starting when it frees', () => {
    const places = [{ answeredAt: 100 }, { answeredAt: 300 }, { answeredAt: 10_400 }];
    const ahead = (nowMs: number) => windowDecision({ ...rule, leadMs: 30, places, nowMs });
    expect(ahead(1_069)).toEqual({ grant: false, waitMs: 1 });
    expect(ahead(1_070)).toEqual({ grant: true, startMs: 1_100 });
    // Granted ahead, the new send holds a place of its own: the next one waits for the second answered place.
    const next = windowDecision({
      ...rule,
      leadMs: 30,
      places: [...places, { answeredAt: 11_070 }],
      nowMs: 1_071,
    });
    expect(next).toEqual({ grant: false, waitMs: 300 + 1_000 - 30 - 1_071 });
  });

  it('looks again soon when every place is held by a send still in flight', () => {
    const inFlight = [{ answeredAt: 11_000 }, { answeredAt: 11_010 }, { answeredAt: 11_020 }];
    expect(decide(inFlight, 30)).toEqual({ grant: false, waitMs: rule.pollMs });
  });

  it.each([0, 40])(
    'keeps Meta under the limit however each send’s arrival falls between its start and its answer (lead %i ms)',
    (leadMs) => {
      const run = simulate({ leadMs, prepMs: 20 });
      expect(run.refused).toEqual([]);
      // limit per (window + preparation + round trip): ≥ 80 / 1.1 per second.
      expect(run.perSecond).toBeGreaterThan(80 / 1.1 - 1);
    },
  );

  it('takes the sender’s preparation out of each place’s turn when places are granted ahead', () => {
    // 20 ms between grant and Graph call (the claim's mark), 0–80 ms round trips: 80 / 1.06 against 80 / 1.04.
    const granted = simulate({ leadMs: 0, prepMs: 20 });
    const ahead = simulate({ leadMs: 40, prepMs: 20 });
    expect(ahead.perSecond - granted.perSecond).toBeGreaterThan(1);
  });
});

/**
 * A deterministic run of 20 s: senders always waiting, one grant at most every 0.5 ms, each Graph call made
 * `prepMs` after its grant (not before its start), taking 0–80 ms and reaching Meta at any point of it. Returns the
 * sends Meta would refuse and the rate.
 */
function simulate({ leadMs, prepMs }: { leadMs: number; prepMs: number }) {
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
      leadMs,
    });
    if (!decision.grant) continue;
    const id = sent++;
    const callAt = Math.max(decision.startMs, now + prepMs);
    const roundTrip = random() * 80;
    places.set(id, { answeredAt: now + 10_000 });
    answers.push({ at: callAt + roundTrip, id });
    arrivals.push(callAt + random() * roundTrip);
  }
  // Meta sees them in the order they arrive.
  const meta = new ThroughputWindow();
  const refused = arrivals.sort((a, b) => a - b).filter((at) => !meta.tryTake('n', limit, at));
  return { refused, perSecond: sent / 20 };
}
