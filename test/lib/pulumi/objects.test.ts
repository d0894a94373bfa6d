import * as k8s from '@pulumi/kubernetes';
import { builtInClass, objectId } from '../../../lib/pulumi/objects';
import { formatDuration, parseDuration } from '../../../lib/pulumi/duration';

describe('object mapping', () => {
  test.each([
    ['v1', 'Namespace', k8s.core.v1.Namespace],
    ['apps/v1', 'Deployment', k8s.apps.v1.Deployment],
    ['rbac.authorization.k8s.io/v1', 'RoleBinding', k8s.rbac.v1.RoleBinding],
    ['networking.k8s.io/v1', 'NetworkPolicy', k8s.networking.v1.NetworkPolicy],
    ['policy/v1', 'PodDisruptionBudget', k8s.policy.v1.PodDisruptionBudget],
    ['batch/v1', 'CronJob', k8s.batch.v1.CronJob],
    ['storage.k8s.io/v1', 'StorageClass', k8s.storage.v1.StorageClass],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', k8s.apiextensions.v1.CustomResourceDefinition],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', k8s.admissionregistration.v1.ValidatingWebhookConfiguration],
    ['scheduling.k8s.io/v1', 'PriorityClass', k8s.scheduling.v1.PriorityClass],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', k8s.autoscaling.v2.HorizontalPodAutoscaler],
    ['node.k8s.io/v1', 'RuntimeClass', k8s.node.v1.RuntimeClass],
  ])('%s %s is built in', (apiVersion, kind, type) => {
    expect(builtInClass(apiVersion, kind)).toBe(type);
  });

  test.each([
    ['postgresql.cnpg.io/v1', 'Cluster'],
    ['snapshot.storage.k8s.io/v1', 'VolumeSnapshot'],
    ['gateway.networking.k8s.io/v1', 'Gateway'],
    ['v1', 'NoSuchKind'],
    ['apps/v9', 'Deployment'],
  ])('%s %s is a custom resource', (apiVersion, kind) => {
    expect(builtInClass(apiVersion, kind)).toBeUndefined();
  });

  test('object ids name cluster-scoped and namespaced objects', () => {
    expect(objectId({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tenant-a' } })).toBe('v1/Namespace/tenant-a');
    expect(objectId({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'tenant-a' } })).toBe(
      'postgresql.cnpg.io/v1/Cluster/tenant-a/db',
    );
  });

  test('durations', () => {
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('1h30m15s')).toBe(5415);
    expect(parseDuration('1.5m')).toBe(90);
    expect(formatDuration(2400)).toBe('2400s');
    expect(() => parseDuration('10 minutes')).toThrow('"10 minutes" is not a duration such as 10m, 1h30m or 90s');
  });
});
