import { agentMediaToken } from '@wa-broker/shared/media-access';

/**
 * `pnpm --filter @wa-broker/media token <agent slug>` (the admin record's `slug`): the agent's media credential, derived from
 * MEDIA_SIGNING_KEY (the environment's, else .env.example's development key). Give it to that agent only.
 */
const slug = process.argv[2];
const key = process.env.MEDIA_SIGNING_KEY;
if (!slug || !key) {
  process.stderr.write('usage: MEDIA_SIGNING_KEY=… pnpm --filter @wa-broker/media token <agent slug>\n');
  process.exit(2);
}
process.stdout.write(`${agentMediaToken(key, slug)}\n`);
