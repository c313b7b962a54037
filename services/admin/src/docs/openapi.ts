import { createLogger } from '@wa-broker/shared/logger';
import type { OpenAPIV3 } from 'openapi-types';
import { Registry } from 'prom-client';
import { buildApp } from '../app.js';
import type { AgentService } from '../domain/agent-service.js';
import type { CostService } from '../domain/cost-service.js';
import type { NumberService } from '../domain/number-service.js';
import type { TemplateService } from '../domain/template-service.js';

const unused = () => {
  throw new Error('the OpenAPI build never serves requests');
};

/** The OpenAPI document of the routes, without PostgreSQL or Kafka (only the route schemas are read). */
export async function buildOpenApiDocument(): Promise<OpenAPIV3.Document> {
  const agents = new Proxy({}, { get: () => unused }) as AgentService;
  const numbers = new Proxy({}, { get: () => unused }) as NumberService;
  const templates = new Proxy({}, { get: () => unused }) as TemplateService;
  const costs = new Proxy({}, { get: () => unused }) as CostService;
  const app = await buildApp({
    logger: createLogger({ service: 'admin-docs', level: 'silent' }),
    agents,
    numbers,
    templates,
    costs,
    apiKeys: ['x'.repeat(16)],
    rateLimit: { max: 1, windowMs: 1000 },
    metrics: new Registry(),
    isDatabaseReachable: async () => true,
  });
  await app.ready();
  const document = app.swagger() as OpenAPIV3.Document;
  await app.close();
  return document;
}
