import { randomBytes } from 'node:crypto';
import kafkajs, { type AclEntry, type Admin } from 'kafkajs';
import type { KafkaGrant } from './kafka-access.js';

// kafkajs is CommonJS and its ACL enums are not named exports Node's ESM loader can see: read them off the module.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

/**
 * Applies the rights of kafka-access.ts to a cluster through an admin client whose principal may ALTER the
 * cluster: SCRAM credentials (AlterUserScramCredentials, added to kafkajs by the project's patch) and ACLs.
 */

/** The mechanism every principal is given; clients may use SHA-512 only (README "Kafka access"). */
export const scramMechanism = 'SCRAM-SHA-512' as const;

/** A new random secret for a principal: 32 bytes, base64url (43 characters). */
export function newKafkaSecret(): string {
  return randomBytes(32).toString('base64url');
}

// RESOURCE_NOT_FOUND: deleting a credential that does not exist (already deleted).
const resourceNotFound = 91;

export class KafkaProvisioningError extends Error {
  constructor(
    message: string,
    readonly errorCode: number,
  ) {
    super(message);
    this.name = 'KafkaProvisioningError';
  }
}

/** Creates the user's SCRAM-SHA-512 credential or replaces its password (the old one stops working at once). */
export async function upsertScramUser(admin: Admin, username: string, password: string): Promise<void> {
  const [result] = await admin.alterUserScramCredentials({
    upsertions: [{ user: username, mechanism: scramMechanism, password }],
  });
  if (result && result.errorCode !== 0)
    throw new KafkaProvisioningError(
      `SCRAM credential of ${username} not saved: ${result.errorMessage ?? `error ${result.errorCode}`}`,
      result.errorCode,
    );
}

/** Deletes the user's credential: no new connection authenticates with it. Idempotent. */
export async function deleteScramUser(admin: Admin, username: string): Promise<void> {
  const [result] = await admin.alterUserScramCredentials({
    deletions: [{ user: username, mechanism: scramMechanism }],
  });
  if (result && result.errorCode !== 0 && result.errorCode !== resourceNotFound)
    throw new KafkaProvisioningError(
      `SCRAM credential of ${username} not deleted: ${result.errorMessage ?? `error ${result.errorCode}`}`,
      result.errorCode,
    );
}

function aclEntries(grant: KafkaGrant): AclEntry[] {
  return grant.operations.map((operation) => ({
    principal: grant.principal,
    host: '*',
    resourceType: AclResourceTypes[grant.resourceType],
    resourceName: grant.resourceName,
    resourcePatternType: ResourcePatternTypes[grant.patternType],
    operation: AclOperationTypes[operation],
    permissionType: AclPermissionTypes.ALLOW,
  }));
}

/** Adds the ACLs (an existing identical ACL is left as is). */
export async function applyGrants(admin: Admin, grants: readonly KafkaGrant[]): Promise<void> {
  const acl = grants.flatMap(aclEntries);
  if (acl.length > 0) await admin.createAcls({ acl });
}

/** Removes exactly these ACLs (what applyGrants added). */
export async function revokeGrants(admin: Admin, grants: readonly KafkaGrant[]): Promise<void> {
  const filters = grants.flatMap(aclEntries);
  if (filters.length > 0) await admin.deleteAcls({ filters });
}

/** Removes every ACL of a principal (`User:<name>`), on any resource: nothing it could do remains allowed. */
export async function revokePrincipal(admin: Admin, principal: string): Promise<void> {
  await admin.deleteAcls({
    filters: [
      {
        principal,
        // Undefined is encoded as null: any host, any resource name.
        host: undefined as unknown as string,
        resourceType: AclResourceTypes.ANY,
        resourceName: undefined as unknown as string,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      },
    ],
  });
}

/**
 * Whether `username`/`password` authenticate on one broker (`host:port`) now. The controller acknowledges a
 * credential change once it is in the metadata log; each broker applies it a moment later, and a client that
 * connects in between is refused (the compose e2e's bot was, once). `credentialProbe` (kafka.ts) makes one.
 */
export type CredentialProbe = (broker: string, username: string, password: string) => Promise<boolean>;

/**
 * Waits until every broker of the cluster accepts (`usable`) or refuses (`gone`) each credential. Each broker
 * applies the metadata log in order, so where a credential is usable, every change written before it is applied.
 */
export async function awaitCredentials(
  admin: Admin,
  probe: CredentialProbe,
  credentials: readonly { username: string; password: string }[],
  state: 'usable' | 'gone',
  timeoutMs = 15_000,
): Promise<void> {
  const { brokers } = await admin.describeCluster();
  const deadline = Date.now() + timeoutMs;
  for (const { host, port } of brokers)
    for (const { username, password } of credentials)
      for (;;) {
        if ((await probe(`${host}:${port}`, username, password)) === (state === 'usable')) break;
        if (Date.now() > deadline)
          throw new KafkaProvisioningError(
            `credential of ${username} not ${state} on broker ${host}:${port} after ${timeoutMs} ms`,
            -1,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
}

/**
 * Waits until every broker has applied what was changed so far (ACLs too): a throwaway credential written after
 * the changes is usable on a broker only once that broker applied everything before it (the metadata log is
 * applied in order). The throwaway is deleted again; it never had a right.
 */
export async function awaitApplied(admin: Admin, probe: CredentialProbe): Promise<void> {
  const fence = { username: `metadata-fence-${randomBytes(6).toString('hex')}`, password: newKafkaSecret() };
  await upsertScramUser(admin, fence.username, fence.password);
  try {
    await awaitCredentials(admin, probe, [fence], 'usable');
  } finally {
    await deleteScramUser(admin, fence.username);
  }
}

/** A principal with its credential and its rights, e.g. a service of the stack or an e2e run. */
export interface KafkaPrincipal {
  username: string;
  password: string;
  grants: readonly KafkaGrant[];
}

/**
 * Grants first, then credentials (a broker that accepts a credential has applied the ACLs before it too); with a
 * probe, resolves only once every broker accepts every credential.
 */
export async function provisionPrincipals(
  admin: Admin,
  principals: readonly KafkaPrincipal[],
  probe?: CredentialProbe,
): Promise<void> {
  await applyGrants(
    admin,
    principals.flatMap((principal) => principal.grants),
  );
  for (const principal of principals) await upsertScramUser(admin, principal.username, principal.password);
  if (probe) await awaitCredentials(admin, probe, principals, 'usable');
}

/** Deletes the principals' credentials and all their ACLs (tests and e2e runs clean up with this). */
export async function removePrincipals(
  admin: Admin,
  usernames: readonly string[],
  probe?: CredentialProbe,
): Promise<void> {
  // ACLs first (an open connection's next request is refused), then the credential (no new connection).
  for (const username of usernames) {
    await revokePrincipal(admin, `User:${username}`);
    await deleteScramUser(admin, username);
  }
  // With a probe: done once every broker has applied both.
  if (probe) await awaitApplied(admin, probe);
}

/**
 * Removes every principal whose username starts with `prefix` and holds any ACL (with its credential): what a
 * test run or an e2e system created under its own prefix. Resolves with their usernames.
 */
export async function removePrincipalsByPrefix(admin: Admin, prefix: string): Promise<string[]> {
  const { resources } = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const usernames = [
    ...new Set(
      resources
        .flatMap((resource) => resource.acls.map((acl) => acl.principal))
        .filter((principal) => principal.startsWith(`User:${prefix}`))
        .map((principal) => principal.slice('User:'.length)),
    ),
  ];
  await removePrincipals(admin, usernames);
  return usernames;
}
