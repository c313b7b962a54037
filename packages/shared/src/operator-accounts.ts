import { z } from 'zod';

/**
 * Operator accounts of one agent (agent-backend `/api/auth/*` and `/api/operators`). An `admin` manages the
 * accounts; every signed-in operator answers conversations. Passwords never leave the backend, not even hashed.
 */
export const operatorRoles = ['admin', 'operator'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

/** Long enough to resist guessing with the sign-in rate limit; the upper bound keeps scrypt's input small. */
export const operatorPassword = z.string().min(10, 'at least 10 characters').max(200);
const email = z.email().max(254);
const name = z.string().trim().min(1).max(100);

/** An account as the API shows it (also `GET /api/auth/me`'s `operator`). */
export const operatorAccount = z.object({
  id: z.string(),
  name: z.string(),
  /** As typed at creation; unique regardless of case. */
  email: z.string(),
  role: z.enum(operatorRoles),
  disabled: z.boolean(),
  created_at: z.iso.datetime({ offset: true }),
});
export type OperatorAccount = z.infer<typeof operatorAccount>;

/** `POST /api/auth/sign-in` body; answered 200 `{operator}` with the session cookie, 401, or 429. */
export const signInRequest = z.object({ email, password: z.string().min(1).max(200) });
export type SignInRequest = z.infer<typeof signInRequest>;

/** `POST /api/auth/sign-in` and `GET /api/auth/me` answer. */
export const signedIn = z.object({
  operator: operatorAccount,
  /** When the session ends unless renewed by signing in again. */
  expires_at: z.iso.datetime({ offset: true }),
});
export type SignedIn = z.infer<typeof signedIn>;

/** `POST /api/operators` (admin): answered 201 `{operator}`; 409 `email_taken`. */
export const createOperatorRequest = z.object({
  name,
  email,
  password: operatorPassword,
  role: z.enum(operatorRoles).default('operator'),
});
export type CreateOperatorRequest = z.input<typeof createOperatorRequest>;

/**
 * `PATCH /api/operators/:id` (admin): any of the fields. `disabled: true` ends the operator's sessions and closes
 * their sockets on every instance; the last enabled admin cannot be disabled or demoted (409 `last_admin`).
 */
export const updateOperatorRequest = z
  .object({
    name: name.optional(),
    email: email.optional(),
    password: operatorPassword.optional(),
    role: z.enum(operatorRoles).optional(),
    disabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'change at least one field' });
export type UpdateOperatorRequest = z.infer<typeof updateOperatorRequest>;

/** `GET /api/operators` (admin). */
export const operatorList = z.object({ operators: z.array(operatorAccount) });
