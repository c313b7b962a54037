import type { TeamMember } from '@wa-broker/shared/operator-protocol';
import { useCallback, useEffect, useState } from 'react';
import type { OperatorConnection } from '../../../lib/operator-connection.js';

/** How long "… is typing" stays after a colleague's last typing frame (they send one every few seconds). */
export const colleagueTypingMs = 7_000;

export interface Team {
  /** Every operator of the agent, with presence; kept fresh by `operator_changed`. */
  operators: TeamMember[];
  nameOf(operatorId: string | null): string | null;
  /** Colleagues typing, by conversation: operator id → until (epoch ms). */
  typing: Record<string, Record<string, number>>;
}

type Connection = Pick<OperatorConnection, 'request' | 'subscribe' | 'onOnline'>;

/** The team as the inbox shows it: who is online, and who is typing where. */
export function useTeam(connection: Connection, now: () => number = Date.now): Team {
  const { request, subscribe, onOnline } = connection;
  const [operators, setOperators] = useState<TeamMember[]>([]);
  const [typing, setTyping] = useState<Team['typing']>({});

  useEffect(() => {
    const load = () =>
      void request({ type: 'list_operators' })
        .then((answer) => {
          if (answer.type === 'operators') setOperators(answer.operators);
        })
        .catch(() => undefined);
    const unsubscribe = subscribe((frame) => {
      if (frame.type === 'operator_changed')
        setOperators((current) => {
          const known = current.some((member) => member.id === frame.operator.id);
          return known
            ? current.map((member) => (member.id === frame.operator.id ? frame.operator : member))
            : [...current, frame.operator];
        });
      if (frame.type === 'operator_typing') {
        const until = now() + colleagueTypingMs;
        setTyping((current) => ({
          ...current,
          [frame.wa_id]: { ...current[frame.wa_id], [frame.operator_id]: until },
        }));
      }
      // A colleague's reply ends their typing there.
      if (frame.type === 'message' && frame.message.direction === 'out')
        setTyping((current) => {
          if (!current[frame.message.wa_id]) return current;
          const { [frame.message.wa_id]: _done, ...rest } = current;
          return rest;
        });
    });
    const offOnline = onOnline(load);
    return () => {
      unsubscribe();
      offOnline();
    };
  }, [request, subscribe, onOnline, now]);

  const nameOf = useCallback(
    (operatorId: string | null) =>
      operatorId === null
        ? null
        : (operators.find((member) => member.id === operatorId)?.name ?? 'a colleague'),
    [operators],
  );
  return { operators, nameOf, typing };
}

/** The colleagues typing in a conversation at `now` (epoch ms). */
export function typingIn(team: Pick<Team, 'typing'>, waId: string, now: number): string[] {
  return Object.entries(team.typing[waId] ?? {})
    .filter(([, until]) => until > now)
    .map(([operatorId]) => operatorId);
}
