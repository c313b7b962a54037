import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const fixtures = resolve(dirname(new URL(import.meta.url).pathname), '../test/fixtures/strimzi-1.2.0');
const crdFiles = ['040-Crd-kafka.yaml', '044-Crd-kafkauser.yaml', '045-Crd-kafkanodepool.yaml'];

type Schema = Record<string, unknown>;
interface Crd {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; served: boolean; schema: { openAPIV3Schema: Schema } }[];
  };
}

/**
 * Kubernetes prunes fields a CRD's schema does not declare, so a misspelt field (`replicationFactor` for
 * `replicas`) would be dropped without a word. Every object schema that lists its properties and does not keep
 * unknown fields is closed here, so the test reports such a field instead.
 */
export function closeObjects(schema: Schema, close = true): Schema {
  const closed: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && value && typeof value === 'object')
      closed[key] = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, closeObjects(child)]),
      );
    else if ((key === 'items' || key === 'additionalProperties') && value && typeof value === 'object')
      closed[key] = closeObjects(value as Schema);
    else if ((key === 'oneOf' || key === 'anyOf' || key === 'allOf') && Array.isArray(value))
      // A branch only narrows the object its parent declares: closing it would refuse the parent's other fields.
      closed[key] = value.map((child: Schema) => closeObjects(child, false));
    else closed[key] = value;
  }
  if (
    close &&
    closed.properties &&
    !closed['x-kubernetes-preserve-unknown-fields'] &&
    closed.additionalProperties === undefined
  )
    closed.additionalProperties = false;
  return closed;
}

/** `kafka.strimzi.io/v1` kind → its validator, compiled from the served versions of the fixtures' CRDs. */
export function strimziValidators(): Map<string, ValidateFunction> {
  // The CRDs carry Kubernetes' own keywords (x-kubernetes-*, CEL rules) that JSON Schema does not know: ignored.
  const ajv = new Ajv({ strict: false, allErrors: true });
  const validators = new Map<string, ValidateFunction>();
  for (const file of crdFiles) {
    const crd = parse(readFileSync(resolve(fixtures, file), 'utf8')) as Crd;
    for (const version of crd.spec.versions.filter((candidate) => candidate.served)) {
      const schema = closeObjects(version.schema.openAPIV3Schema);
      // apiVersion, kind and metadata are the API server's to check; the CRD leaves them open.
      validators.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, ajv.compile(schema));
    }
  }
  return validators;
}
