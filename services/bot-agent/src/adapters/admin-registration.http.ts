import {
  type AgentKafkaCredential,
  type AgentRecord,
  agentKafkaCredential,
  agentRecord,
  agentRecordWithCredential,
  type CreateAgentInput,
} from '@wa-broker/shared/agents';
import { z } from 'zod';

export interface AdminSettings {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

const page = z.object({ data: z.array(agentRecord) });

/**
 * Finds the active agent with this exact name through the admin's v2 API, or creates it — the same way an
 * operator registers any agent. Two instances starting together may both create: the loser gets 409 and reads.
 * `kafka`: the credential the admin issued when this call created the agent (shown once).
 */
export async function findOrCreateAgent(
  settings: AdminSettings,
  input: CreateAgentInput,
): Promise<{ record: AgentRecord; kafka?: AgentKafkaCredential }> {
  const found = await findAgent(settings, input.name);
  if (found) return { record: found };
  const response = await call(settings, 'api/v2/agents', { method: 'POST', body: JSON.stringify(input) });
  if (response.status === 201) {
    const { kafka, ...record } = agentRecordWithCredential.parse(await response.json());
    return { record, ...(kafka ? { kafka } : {}) };
  }
  if (response.status === 409) {
    const raced = await findAgent(settings, input.name);
    if (raced) return { record: raced };
  }
  throw new Error(`admin refused to create agent "${input.name}": HTTP ${response.status}`);
}

/** A new Kafka credential for the agent (the previous one stops working: other instances must be given it). */
export async function rotateKafkaCredential(
  settings: AdminSettings,
  id: number,
): Promise<AgentKafkaCredential> {
  const response = await call(settings, `api/v2/agents/${id}/kafka-credentials`, { method: 'POST' });
  if (response.status !== 201)
    throw new Error(`admin refused to rotate the Kafka credential: HTTP ${response.status}`);
  return agentKafkaCredential.parse(await response.json());
}

async function findAgent(settings: AdminSettings, name: string): Promise<AgentRecord | undefined> {
  const query = new URLSearchParams({ name, active: 'true', page_size: '100' });
  const response = await call(settings, `api/v2/agents?${query}`, { method: 'GET' });
  if (!response.ok) throw new Error(`admin agent lookup failed: HTTP ${response.status}`);
  // `name` filters by substring, case-insensitively: keep the exact match only.
  return page.parse(await response.json()).data.find((agent) => agent.name === name);
}

function call(settings: AdminSettings, path: string, init: RequestInit): Promise<Response> {
  return fetch(new URL(path, settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`), {
    ...init,
    headers: { authorization: `Bearer ${settings.apiKey}`, 'content-type': 'application/json' },
    signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
  });
}
