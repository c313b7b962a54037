import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/**
 * OpenAPI from the routes' zod schemas, Swagger UI at /docs (JSON at /docs/json). Must be registered before
 * the routes so @fastify/swagger sees them.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'wa-broker admin',
        description:
          'Agents users can reach over WhatsApp, and the business numbers they reach them on. v1 keeps the original broker’s Postman requests working; v2 is the clean REST API.',
        version: '1.0.0',
      },
      servers: [{ url: 'http://localhost:8000', description: 'local' }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An ADMIN_API_KEYS entry' },
        },
      },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'v1 (original-compatible)', description: 'The original broker’s endpoints and bodies' },
        { name: 'v2', description: 'snake_case REST with pagination and field-level errors' },
        {
          name: 'v2 numbers',
          description:
            'The WhatsApp business numbers this deployment serves; a number’s Graph API token is write-only',
        },
        { name: 'health', description: 'Probes (no auth)' },
      ],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
