import autocannon from 'autocannon';
import type { SignedBody } from './bodies.js';

export interface LoadResult {
  label: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** The server process's CPU time per request (only measured for the webhook service). */
  cpuMicrosPerRequest?: number;
}

export interface LoadSpec {
  label: string;
  url: string;
  connections: number;
  seconds: number;
  bodies: SignedBody[];
}

/** Runs autocannon in this process (the server runs in another), cycling through pre-signed bodies. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    pipelining: 1,
    requests: spec.bodies.map((body) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': body.signature },
      body: body.body,
    })),
  });
  return {
    label: spec.label,
    connections: spec.connections,
    seconds: spec.seconds,
    requests: result.requests.total,
    rps: Math.round(result.requests.total / spec.seconds),
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
