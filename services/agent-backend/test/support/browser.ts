import { fileURLToPath } from 'node:url';

export { buildOperatorUi as buildFrontend, launchChromium } from '@wa-broker/infra/browser';

/** Where browser tests leave screenshots (git-ignored, kept by CI as artifacts). */
export const testOutputDir = fileURLToPath(new URL('../../test-results/', import.meta.url));
