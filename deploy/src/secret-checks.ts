import type { Loaded } from './kustomize.js';

// Names that hold a secret. SECRET and not SECURE: SESSION_COOKIE_SECURE is a flag.
const secretName = /PASSWORD|SECRET|TOKEN|KEY/i;
// scheme://user:password@host: DATABASE_URL, REDIS_URL and MONGO_URL belong in Secrets.
const credentialsInUrl = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i;

/**
 * No secret written in a manifest: an env entry (a pod's, or an operator's template env) with a literal value
 * under a secret-looking name, a ConfigMap key with such a name, a URL with a password anywhere, or a Secret
 * holding any value at all (the committed ones are templates; the values are filled outside git).
 */
export function secretLiteralProblems({ object, file }: Loaded): string[] {
  const where = `${object.kind} ${object.metadata.name} (${file})`;
  const problems: string[] = [];
  if (object.kind === 'Secret') {
    for (const field of ['data', 'stringData'])
      for (const [key, value] of Object.entries((object[field] as Record<string, string> | undefined) ?? {}))
        if (value !== '') problems.push(`${where}: ${field}.${key} holds a value`);
    return problems;
  }
  if (object.kind === 'ConfigMap')
    for (const [key, value] of Object.entries((object.data as Record<string, string> | undefined) ?? {}))
      if (secretName.test(key) && value !== '')
        problems.push(`${where}: ConfigMap key ${key} looks like a secret`);
  walk(object, (node) => {
    if (
      typeof node.name === 'string' &&
      typeof node.value === 'string' &&
      secretName.test(node.name) &&
      node.value !== ''
    )
      problems.push(`${where}: env ${node.name} has a literal value`);
  });
  walk(object, (node) => {
    for (const value of Object.values(node))
      if (typeof value === 'string' && credentialsInUrl.test(value))
        problems.push(`${where}: a URL with a password`);
  });
  return problems;
}

function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) for (const item of node) walk(item, visit);
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    for (const child of Object.values(node)) walk(child, visit);
  }
}
