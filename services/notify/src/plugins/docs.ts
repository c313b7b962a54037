import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI from the routes' zod schemas, Swagger UI at /docs (JSON at /docs/json); before the routes. */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'wa-broker notify',
        description:
          'Template notifications to many recipients, sent by the router within Meta’s limits, with each recipient’s status; and the call-event log of every conversation.',
        version: '1.0.0',
      },
      servers: [{ url: 'http://localhost:8100', description: 'local' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A NOTIFY_API_KEYS entry' },
        },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'notifications', description: 'Send, follow, resend, cancel' },
        { name: 'conversations', description: 'The call-event log: conversations and their ordered events' },
        { name: 'health', description: 'Probes (no auth)' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
