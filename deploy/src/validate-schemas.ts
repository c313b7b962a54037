import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import type { ValidateFunction } from 'ajv';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import type { Manifest } from './kustomize.js';
import { strimziValidators } from './strimzi-schemas.js';

type Model = { validate(): void };
// Every kind the manifests may hold, with the model that validates it against the API's OpenAPI schema. A kind
// missing here is reported, so nothing in the manifests goes unchecked.
const models: Record<string, (object: never) => Model> = {
  'v1 ConfigMap': (object) => new ConfigMap(object),
  'v1 Secret': (object) => new Secret(object),
  'v1 Service': (object) => new Service(object),
  'v1 Namespace': (object) => new Namespace(object),
  'apps/v1 Deployment': (object) => new Deployment(object),
  'batch/v1 Job': (object) => new Job(object),
  'policy/v1 PodDisruptionBudget': (object) => new PodDisruptionBudget(object),
  'autoscaling/v2 HorizontalPodAutoscaler': (object) => new HorizontalPodAutoscaler(object),
  'networking.k8s.io/v1 Ingress': (object) => new Ingress(object),
  'keda.sh/v1alpha1 ScaledObject': (object) => new ScaledObject(object),
  'keda.sh/v1alpha1 TriggerAuthentication': (object) => new TriggerAuthentication(object),
};

let strimzi: Map<string, ValidateFunction> | undefined;

/** The object's schema problems (empty when valid): kubernetes-models, KEDA's models or Strimzi's CRD schema. */
export function schemaProblems(object: Manifest): string[] {
  const type = `${object.apiVersion} ${object.kind}`;
  const model = models[type];
  if (model) {
    try {
      model(structuredClone(object) as never).validate();
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  }
  strimzi ??= strimziValidators();
  const validate = strimzi.get(type);
  if (!validate) return [`no schema for ${type}`];
  if (validate(object)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`,
  );
}
