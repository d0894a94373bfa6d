import { AdmissionEvaluator } from './admission-evaluator';
import { CLUSTER_ADMIN, requestFor } from './admission-requests';

const policy = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], operations: ['CREATE'] }] },
    ...spec,
  },
});
const binding = (name: string, namespaceSelector?: Record<string, unknown>) => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicyBinding',
  metadata: { name },
  spec: { policyName: name, validationActions: ['Deny'], ...(namespaceSelector && { matchResources: { namespaceSelector } }) },
});
const configMap = (data: Record<string, string>, namespace = 'tenant-a') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace },
  data,
});
const noX = { validations: [{ expression: '!has(object.data.x)', message: 'no x' }] };

describe('the offline admission evaluator', () => {
  test('applies validations to the requests the binding and the resource rules select', () => {
    const evaluator = new AdmissionEvaluator([
      policy('p', noX),
      binding('p', { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['ops'] }] }),
    ]);
    expect(evaluator.review(requestFor(configMap({ x: '1' }), { namespaceLabels: { team: 'web' } }))).toEqual([
      { policy: 'p', message: 'no x' },
    ]);
    expect(evaluator.review(requestFor(configMap({ x: '1' }), { namespaceLabels: { team: 'ops' } }))).toEqual([]);
    expect(evaluator.review(requestFor(configMap({ x: '1' }), { oldObject: configMap({}) }))).toEqual([]);
    expect(evaluator.review(requestFor({ ...configMap({ x: '1' }), kind: 'Secret' }))).toEqual([]);
    expect(evaluator.review(requestFor(configMap({ y: '1' })))).toEqual([]);
  });

  test('skips a policy whose matchConditions are false, and denies when an expression fails', () => {
    const onlyTenants = {
      matchConditions: [{ name: 'tenant', expression: `!request.userInfo.groups.exists(g, g == 'system:masters')` }],
      ...noX,
    };
    const evaluator = new AdmissionEvaluator([
      policy('p', onlyTenants),
      binding('p'),
      policy('q', { validations: [{ expression: 'object.data.missing == "x"', message: 'm' }] }),
      binding('q'),
    ]);
    expect(evaluator.review(requestFor(configMap({ x: '1' }), { userInfo: CLUSTER_ADMIN })).map((d) => d.policy)).toEqual(['q']);
    expect(evaluator.review(requestFor(configMap({ x: '1' })))).toEqual([
      { policy: 'p', message: 'no x' },
      { policy: 'q', message: expect.stringMatching(/^expression error \(failurePolicy Fail denies\): .*missing/) },
    ]);
  });

  test('refuses what it does not implement instead of passing it', () => {
    expect(
      () => new AdmissionEvaluator([policy('p', { ...noX, paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } }), binding('p')]),
    ).toThrow('policy.spec.paramKind is not implemented');
    expect(() => new AdmissionEvaluator([policy('p', { ...noX, failurePolicy: 'Ignore' }), binding('p')])).toThrow(
      'only failurePolicy Fail',
    );
    expect(
      () => new AdmissionEvaluator([policy('p', { validations: [{ expression: 'true', messageExpression: '"m"' }] }), binding('p')]),
    ).toThrow('validation.messageExpression');
    const evaluator = new AdmissionEvaluator([
      policy('p', noX),
      { ...binding('p'), spec: { ...binding('p').spec, matchResources: { objectSelector: {} } } },
    ]);
    expect(() => evaluator.review(requestFor(configMap({})))).toThrow('binding.spec.matchResources.objectSelector is not implemented');
  });
});
