import { z } from 'zod';

/** A decimal agent id in the path; stricter than a numeric coercion (`1e3`, `0x10`, ` 1` are rejected). */
export const idParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a positive integer')
    .transform(Number)
    .meta({ description: 'Agent id', example: '1' }),
});

export const v1ErrorBody = z
  .object({ internal_code: z.string(), message: z.string() })
  .meta({ description: "The original broker's error shape" });

export const v2ErrorBody = z.object({
  error: z.string().meta({ description: 'Machine-readable code, e.g. agent_not_found' }),
  message: z.string(),
  fields: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .meta({ description: 'One entry per invalid field (400, and 422 for a template Meta would refuse)' }),
  details: z.record(z.string(), z.unknown()).optional(),
});

/** Security requirement of the routes outside the bearer-protected scope (health, docs). */
export const publicRoute = { security: [] };
