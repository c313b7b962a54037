/**
 * The agent backend's operator accounts (issue 20) as an e2e test uses them: sign in over HTTP for a session
 * cookie (`wa_operator_session`), put it on a browser context or a WebSocket upgrade, and create colleagues as the
 * run's first admin (`SystemNames.operatorAdmin`, seeded from OPERATOR_ADMIN_EMAIL / _PASSWORD).
 */
export interface OperatorSession {
  /** `wa_operator_session=<token>`: a `Cookie` header value. */
  cookie: string;
  /** The token alone, for a browser context's `addCookies({name, value, url})`. */
  name: string;
  value: string;
  operator: { id: string; name: string; email: string; role: 'admin' | 'operator' };
}

export async function signInOperator(
  agentUrl: string,
  email: string,
  password: string,
): Promise<OperatorSession> {
  const response = await fetch(`${agentUrl}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in as ${email}: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const split = cookie.indexOf('=');
  const { operator } = (await response.json()) as { operator: OperatorSession['operator'] };
  return { cookie, name: cookie.slice(0, split), value: cookie.slice(split + 1), operator };
}

/** A new operator created by the admin, signed in. */
export async function addOperator(
  agentUrl: string,
  admin: { email: string; password: string },
  fields: { name: string; email: string; password: string; role?: 'admin' | 'operator' },
): Promise<OperatorSession> {
  const { cookie } = await signInOperator(agentUrl, admin.email, admin.password);
  const response = await fetch(`${agentUrl}/api/operators`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(fields),
  });
  if (response.status !== 201) throw new Error(`creating operator ${fields.email}: ${response.status}`);
  return signInOperator(agentUrl, fields.email, fields.password);
}
