import { httpEnv, logEnv } from '@wa-broker/shared/config';
import { z } from 'zod';

export const serviceConfig = z.object({
  ...logEnv.shape,
  ...httpEnv.shape,
  PORT: httpEnv.shape.PORT.default(8000),
});
