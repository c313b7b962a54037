import type { OpenAPIV3 } from 'openapi-types';

/** Postman Collection v2.1 item (the subset we generate). */
interface PostmanItem {
  name: string;
  description?: string;
  item?: PostmanItem[];
  request?: Record<string, unknown>;
}

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;
const collectionId = '5d2f8a0e-7b1c-4c55-9a43-2f0f2b8c1a01';

export const postmanVariables = {
  base_url: 'http://localhost:8000',
  admin_api_key: 'local-dev-admin-key-change-me',
};

function exampleOf(schema: OpenAPIV3.ParameterObject['schema']): string {
  const example = (schema as { example?: unknown } | undefined)?.example;
  return example === undefined ? '' : String(example);
}

function requestOf(
  path: string,
  method: (typeof methods)[number],
  operation: OpenAPIV3.OperationObject,
): PostmanItem {
  const parameters = (operation.parameters ?? []) as OpenAPIV3.ParameterObject[];
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/^\{(.+)\}$/, ':$1'));
  const query = parameters
    .filter((parameter) => parameter.in === 'query')
    .map((parameter) => ({
      key: parameter.name,
      value: exampleOf(parameter.schema),
      disabled: true,
      description: parameter.description ?? '',
    }));
  const variables = parameters
    .filter((parameter) => parameter.in === 'path')
    .map((parameter) => ({ key: parameter.name, value: exampleOf(parameter.schema) }));
  const content = (operation.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content[
    'application/json'
  ];
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
  return {
    name: `${method.toUpperCase()} ${path}`,
    ...(operation.summary ? { description: operation.summary } : {}),
    request: {
      method: method.toUpperCase(),
      ...(isPublic ? { auth: { type: 'noauth' } } : {}),
      header: content ? [{ key: 'Content-Type', value: 'application/json' }] : [],
      ...(content
        ? {
            body: {
              mode: 'raw',
              raw: JSON.stringify(content.example ?? {}, null, 2),
              options: { raw: { language: 'json' } },
            },
          }
        : {}),
      url: {
        raw: `{{base_url}}/${segments.join('/')}`,
        host: ['{{base_url}}'],
        path: segments,
        ...(query.length ? { query } : {}),
        ...(variables.length ? { variable: variables } : {}),
      },
    },
  };
}

/**
 * A Postman v2.1 collection from the OpenAPI document: one folder per tag, one request per operation with the
 * schema's example body, bearer auth from the `admin_api_key` variable. Deterministic, so a test can diff it.
 */
export function toPostmanCollection(document: OpenAPIV3.Document): Record<string, unknown> {
  const folders = new Map<string, PostmanItem[]>((document.tags ?? []).map((tag) => [tag.name, []]));
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const method of methods) {
      const operation = pathItem?.[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] ?? 'other';
      if (!folders.has(tag)) folders.set(tag, []);
      folders.get(tag)?.push(requestOf(path, method, operation));
    }
  }
  const descriptions = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description]));
  return {
    info: {
      _postman_id: collectionId,
      name: document.info.title,
      description: `${document.info.description ?? ''}\n\nGenerated from the OpenAPI document by \`pnpm --filter @wa-broker/admin postman\`; do not edit by hand.`,
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    auth: { type: 'bearer', bearer: [{ key: 'token', value: '{{admin_api_key}}', type: 'string' }] },
    item: [...folders]
      .filter(([, items]) => items.length > 0)
      .map(([name, items]) => ({ name, description: descriptions.get(name) ?? '', item: items })),
    variable: Object.entries(postmanVariables).map(([key, value]) => ({ key, value, type: 'string' })),
  };
}
