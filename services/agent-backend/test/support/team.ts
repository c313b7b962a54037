import { admin } from './harness.js';
import { signIn } from './operator-client.js';

export interface TestOperator {
  id: string;
  email: string;
  cookie: string;
}

/** Creates an operator through the admin API and signs them in. */
export async function addOperator(url: string, name: string, role: 'admin' | 'operator' = 'operator') {
  const { cookie } = await signIn(url, admin.email, admin.password);
  const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = `${name} password 1`;
  const response = await fetch(`${url}/api/operators`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name, email, password, role }),
  });
  if (response.status !== 201) throw new Error(`create operator answered ${response.status}`);
  const { operator } = (await response.json()) as { operator: { id: string } };
  return { id: operator.id, email, ...(await signIn(url, email, password)) } satisfies TestOperator;
}
