export function appTitle(agentName: string): string {
  return `wa-broker · ${agentName.trim() || 'agent'}`;
}
