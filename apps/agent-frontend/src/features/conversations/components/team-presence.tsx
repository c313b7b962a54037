import type { TeamMember } from '@wa-broker/shared/operator-protocol';

/** Who of the team is online now (enabled accounts only). */
export function TeamPresence({ operators, me }: { operators: TeamMember[]; me: string | null }) {
  const enabled = operators.filter((member) => !member.disabled);
  if (enabled.length === 0) return null;
  const online = enabled.filter((member) => member.online).length;
  return (
    <details className="team" data-testid="team">
      <summary>Team · {online} online</summary>
      <ul>
        {enabled.map((member) => (
          <li key={member.id} data-online={member.online} data-testid="team-member">
            <span className={`presence-dot ${member.online ? 'is-online' : ''}`} aria-hidden="true" />
            {member.name}
            {member.id === me ? ' (you)' : ''}
            <span className="sr-only">{member.online ? ' online' : ' offline'}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
