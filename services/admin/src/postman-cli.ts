import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from './docs/openapi.js';
import { toPostmanCollection } from './docs/postman.js';

// `pnpm --filter @wa-broker/admin postman`: regenerates the committed collection after a route change.
export const collectionPath = fileURLToPath(
  new URL('../postman/wa-broker-admin.postman_collection.json', import.meta.url),
);

const collection = toPostmanCollection(await buildOpenApiDocument());
writeFileSync(collectionPath, `${JSON.stringify(collection, null, 2)}\n`);
// The repository's formatter owns JSON layout; the test compares parsed content, not bytes.
execFileSync('pnpm', ['exec', 'biome', 'format', '--write', collectionPath], { stdio: 'inherit' });
console.warn(`wrote ${collectionPath}`);
