import * as pulumi from '@pulumi/pulumi';
import * as YAML from 'yaml';

/** One resource the program registered, as Pulumi would create it. */
export interface MockedResource {
  readonly name: string;
  readonly type: string;
  readonly custom: boolean;
  /** Inputs as sent to the engine; secret values are wrapped as the engine receives them. */
  readonly inputs: any;
  readonly parent?: string;
  /** The name of its explicit provider. */
  readonly provider?: string;
  /** Resources it waits for: `dependsOn`, its provider, and those whose outputs its inputs use. */
  readonly dependsOn: readonly string[];
  /** Only the resources of its `dependsOn` option. */
  readonly declaredDependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
  readonly customTimeouts?: pulumi.CustomTimeouts;
  readonly deleteBeforeReplace?: boolean;
}

export interface MockRun<T> {
  /** What the program returned, awaited. */
  readonly result: T;
  /** In registration order. */
  readonly resources: ReadonlyMap<string, MockedResource>;
}

/** The key and value by which the engine marks a secret input. */
export const SECRET_SIGNATURE = { key: '4dabf18193072939515e22adb298388d', value: '1b47061264138c4ac30d75fd1eb44270' } as const;

export function isSecretValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SECRET_SIGNATURE.key] === SECRET_SIGNATURE.value;
}

/**
 * Runs a Pulumi program in this process against mocks, as `pulumi up` would run it but with nothing created: every
 * resource and its dependencies are recorded. Commands answer with stand-in output (a well-formed Talos secrets
 * bundle, a kubeconfig), instances with stand-in addresses, lookups with stand-in zones and images. The program may
 * be async: resources it registers before its promise settles are recorded too. An error it throws is thrown here.
 */
export async function runUnderMocks<T>(project: string, stack: string, program: () => T | Promise<T>): Promise<MockRun<T>> {
  const engine = new Map<string, { type: string; custom: boolean; inputs: any; provider?: string }>();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (engine.has(args.name)) throw new Error(`two resources are named ${args.name}`);
        // A provider reference is `<urn>::<id>`; the URN ends with `::<name>`.
        const provider = args.provider ? args.provider.split('::').slice(-2)[0] : undefined;
        engine.set(args.name, { type: args.type, custom: args.custom ?? true, inputs: args.inputs, provider });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...mockOutputs(args.type, args.name, args.inputs) } };
      },
      call: (args) => mockCall(args.token),
    },
    project,
    stack,
    false,
  );

  const seen: { resource: pulumi.Resource; name: string; type: string; opts: pulumi.ResourceOptions; inputs: pulumi.Output<unknown>[] }[] =
    [];
  let result: T | undefined;
  // An error thrown inside the stack's initialization would reach Pulumi's own promises, unhandled: keep it here.
  let failure: { error: unknown } | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(({ resource, name, type, props, opts }) => {
      seen.push({ resource, name, type, opts, inputs: outputsIn(props) });
      return undefined;
    });
    try {
      result = await program();
    } catch (error) {
      failure = { error };
    }
    return undefined;
  });
  if (failure) throw failure.error;
  await Promise.all(seen.map(({ resource }) => (resource.urn as unknown as { promise(): Promise<string> }).promise()));

  const names = new Map(seen.map((s) => [s.resource, s.name]));
  const resources = new Map<string, MockedResource>();
  for (const { name, type, opts, inputs } of seen) {
    const explicit = opts.dependsOn === undefined ? [] : (([] as unknown[]).concat(opts.dependsOn) as pulumi.Resource[]);
    const implicit: pulumi.Resource[] = [];
    for (const output of inputs) implicit.push(...(await (output as any).allResources()));
    const recorded = engine.get(name);
    const provider = recorded?.provider && [...names.values()].includes(recorded.provider) ? [recorded.provider] : [];
    const known = (resources: readonly pulumi.Resource[]) =>
      resources.map((d) => names.get(d)).filter((d): d is string => d !== undefined && d !== name);
    const custom = opts as pulumi.CustomResourceOptions;
    resources.set(name, {
      name,
      type,
      custom: recorded?.custom ?? false,
      inputs: recorded?.inputs ?? {},
      parent: opts.parent ? names.get(opts.parent) : undefined,
      provider: recorded?.provider,
      dependsOn: [...new Set([...known([...explicit, ...implicit]), ...provider])],
      declaredDependsOn: known(explicit),
      ignoreChanges: custom.ignoreChanges ?? [],
      additionalSecretOutputs: custom.additionalSecretOutputs ?? [],
      customTimeouts: custom.customTimeouts,
      deleteBeforeReplace: custom.deleteBeforeReplace,
    });
  }
  return { result: result as T, resources };
}

function outputsIn(value: unknown, found: pulumi.Output<unknown>[] = [], depth = 0): pulumi.Output<unknown>[] {
  if (depth > 20) return found;
  if (pulumi.Output.isInstance(value)) found.push(value);
  else if (Array.isArray(value)) value.forEach((v) => outputsIn(v, found, depth + 1));
  else if (typeof value === 'object' && value !== null && !pulumi.Resource.isInstance(value))
    Object.values(value).forEach((v) => outputsIn(v, found, depth + 1));
  return found;
}

function mockOutputs(type: string, name: string, inputs: any): Record<string, unknown> {
  switch (type) {
    case 'command:local:Command':
    case 'command:remote:Command':
      return { stdout: mockStdout(name), stderr: '' };
    case 'aws:ec2/instance:Instance': {
      const last = String(inputs.privateIp ?? '0.0.0.1')
        .split('.')
        .pop();
      return { publicIp: `198.51.100.${last}`, privateIp: inputs.privateIp };
    }
    case 'aws:s3/bucket:Bucket':
      return { arn: `arn:aws:s3:::${inputs.bucket}` };
    case 'aws:iam/accessKey:AccessKey':
      return { secret: 'mock-secret-access-key' };
    case 'aws:ec2/keyPair:KeyPair':
      return { keyName: name.replace(/\W+/g, '-') };
    default:
      return {};
  }
}

function mockStdout(name: string): string {
  if (name.endsWith('/secrets')) return mockTalosSecrets();
  if (name.endsWith('/talosconfig')) return 'context: mock\ncontexts: {}\n';
  if (name.endsWith('/kubeconfig')) return mockKubeconfig();
  return '';
}

function mockCall(token: string): Record<string, unknown> {
  if (token === 'aws:index/getAvailabilityZones:getAvailabilityZones')
    return { names: ['mock-1a', 'mock-1b', 'mock-1c'], zoneIds: ['m1-az1', 'm1-az2', 'm1-az3'] };
  if (token === 'aws:ec2/getAmi:getAmi') return { id: 'ami-0123456789abcdef0' };
  return {};
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

/** A secrets bundle of the right shape, with stand-in values. */
export function mockTalosSecrets(): string {
  const pair = (what: string) => ({ crt: b64(`mock ${what} certificate`), key: b64(`mock ${what} key`) });
  return YAML.stringify({
    cluster: { id: b64('mock cluster id'), secret: b64('mock cluster secret') },
    secrets: { bootstraptoken: 'abcdef.0123456789abcdef', secretboxencryptionsecret: b64('mock secretbox secret') },
    trustdinfo: { token: 'ghijkl.0123456789abcdef' },
    certs: {
      etcd: pair('etcd'),
      k8s: pair('k8s'),
      k8saggregator: pair('aggregator'),
      k8sserviceaccount: { key: b64('mock service account key') },
      os: pair('os'),
    },
  });
}

/** A kubeconfig of the shape K3s and Talos write, with stand-in credentials. */
export function mockKubeconfig(server = 'https://127.0.0.1:6443'): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'admin',
    clusters: [{ name: 'default', cluster: { server, 'certificate-authority-data': b64('mock ca') } }],
    users: [{ name: 'admin', user: { 'client-certificate-data': b64('mock cert'), 'client-key-data': b64('mock key') } }],
    contexts: [{ name: 'admin', context: { cluster: 'default', user: 'admin' } }],
  });
}
