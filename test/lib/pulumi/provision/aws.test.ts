import * as path from 'path';
import type { MockedResource } from '../../../../lib/pulumi/mock-engine';
import { firewallRules } from '../../../../lib/pulumi/provision/aws-firewall';
import { fresh, get, STACKS, unwrap } from './helpers';

async function runStack(stack: string) {
  const m = fresh();
  const { program, namespace } = m.require(`stacks/${stack}/program`);
  const config = m.provision.fileStackConfig(path.join(STACKS, stack, 'Pulumi.example.yaml'), namespace, { target: 'aws' });
  return { ...(await m.mocks.runUnderMocks(namespace, 'example', () => program(config))), m };
}

const ingress = (sg: MockedResource) =>
  sg.inputs.ingress.map((r: any) => {
    const { description, protocol, fromPort, toPort, cidrBlocks, self, securityGroups } = r;
    return {
      description,
      protocol,
      fromPort,
      toPort,
      ...(cidrBlocks ? { cidrBlocks } : {}),
      ...(self ? { self } : {}),
      ...(securityGroups ? { securityGroups } : {}),
    };
  });

describe('firewall rules', () => {
  test('K3s with Calico (IP-in-IP over BGP, Typha): exactly the API, etcd, kubelet, SSH and Calico flows', () => {
    expect(
      firewallRules('k3s', ['calico-ipip', 'calico-bgp', 'calico-typha']).map(
        (r) => `${r.protocol}/${r.fromPort}-${r.toPort} ${r.from}→${r.to}`,
      ),
    ).toEqual([
      'tcp/6443-6443 admins→control-planes',
      'tcp/6443-6443 nodes→control-planes',
      'tcp/2379-2380 control-planes→control-planes',
      'tcp/10250-10250 nodes→nodes',
      'tcp/22-22 admins→nodes',
      'ipip/0-0 nodes→nodes',
      'tcp/179-179 nodes→nodes',
      'tcp/5473-5473 nodes→nodes',
    ]);
  });

  test('Talos with Kube-OVN and chained Cilium: apid and trustd instead of SSH, Geneve and the OVN databases', () => {
    expect(
      firewallRules('talos', ['geneve', 'ovn-databases', 'cilium-health']).map(
        (r) => `${r.protocol}/${r.fromPort}-${r.toPort} ${r.from}→${r.to}`,
      ),
    ).toEqual([
      'tcp/6443-6443 admins→control-planes',
      'tcp/6443-6443 nodes→control-planes',
      'tcp/2379-2380 control-planes→control-planes',
      'tcp/10250-10250 nodes→nodes',
      'tcp/50000-50000 admins→nodes',
      'tcp/50000-50000 nodes→nodes',
      'tcp/50001-50001 nodes→control-planes',
      'udp/6081-6081 nodes→nodes',
      'tcp/6641-6644 nodes→control-planes',
      'tcp/4240-4240 nodes→nodes',
    ]);
  });

  test('the platform decides the CNI flows: Flannel when K3s runs its own, WireGuard when Calico encrypts', () => {
    const m = fresh();
    const { Platform } = m.require('lib/core/platform');
    const { Calico } = m.require('constructs/network/calico');
    const { K3sCluster } = m.require('constructs/nodes/k3s-cluster');
    const { nodeTraffic } = m.require('lib/pulumi/provision/node-traffic');
    const { App } = require('cdk8s');
    const bare = new Platform(new App(), 'p', { delivery: 'k3s', kubernetesVersion: '1.33' });
    expect(nodeTraffic(new K3sCluster(bare, 'c'))).toEqual(['flannel-vxlan']);
    const encrypted = new Platform(new App(), 'p', { delivery: 'k3s', kubernetesVersion: '1.33' });
    new Calico(encrypted, { encapsulation: 'VXLAN', bgp: false, felix: { wireguard: true } });
    expect(nodeTraffic(new K3sCluster(encrypted, 'c'))).toEqual(['calico-vxlan', 'calico-typha', 'wireguard']);
  });
});

describe('AWS hosting stack (Talos)', () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack('hosting');
  });

  test('security groups hold exactly the rules of the distribution and the CNI, admins from adminCidrs only', () => {
    const nodes = get(run.resources, 'aws/firewall/nodes');
    expect(ingress(nodes)).toEqual([
      { description: 'kubelet from nodes', protocol: 'tcp', fromPort: 10250, toPort: 10250, self: true },
      { description: 'Talos apid from admins', protocol: 'tcp', fromPort: 50000, toPort: 50000, cidrBlocks: ['203.0.113.0/24'] },
      { description: 'Talos apid from nodes', protocol: 'tcp', fromPort: 50000, toPort: 50000, self: true },
      { description: 'Kube-OVN Geneve', protocol: 'udp', fromPort: 6081, toPort: 6081, self: true },
      { description: 'Cilium health checks', protocol: 'tcp', fromPort: 4240, toPort: 4240, self: true },
    ]);
    const control = get(run.resources, 'aws/firewall/control-planes');
    expect(ingress(control)).toEqual([
      { description: 'Kubernetes API from admins', protocol: 'tcp', fromPort: 6443, toPort: 6443, cidrBlocks: ['203.0.113.0/24'] },
      {
        description: 'Kubernetes API from nodes',
        protocol: 'tcp',
        fromPort: 6443,
        toPort: 6443,
        securityGroups: ['aws/firewall/nodes-id'],
      },
      { description: 'etcd between control planes', protocol: 'tcp', fromPort: 2379, toPort: 2380, self: true },
      {
        description: 'Talos trustd from nodes',
        protocol: 'tcp',
        fromPort: 50001,
        toPort: 50001,
        securityGroups: ['aws/firewall/nodes-id'],
      },
      { description: 'OVN databases and Raft', protocol: 'tcp', fromPort: 6641, toPort: 6644, securityGroups: ['aws/firewall/nodes-id'] },
    ]);
    for (const sg of [nodes, control])
      expect(sg.inputs.egress).toEqual([
        { protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'], description: 'all outbound' },
      ]);
    expect(get(run.resources, 'aws/network/default-sg').inputs).toMatchObject({ ingress: [], egress: [] });
  });

  test('instances: configured address and subnet, IMDSv2 required, encrypted gp3, config as secret user data, upgrades in place', () => {
    const cp2 = get(run.resources, 'aws/machines/cp2');
    expect(cp2.inputs).toMatchObject({
      ami: 'ami-0123456789abcdef0',
      instanceType: 'm6i.xlarge',
      privateIp: '10.0.16.11',
      subnetId: 'aws/network/subnet-1-id',
      associatePublicIpAddress: true,
      vpcSecurityGroupIds: ['aws/firewall/nodes-id', 'aws/firewall/control-planes-id'],
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      rootBlockDevice: { volumeType: 'gp3', volumeSize: 100, encrypted: true, deleteOnTermination: true },
      userDataReplaceOnChange: false,
    });
    expect(get(run.resources, 'aws/machines/w1').inputs.vpcSecurityGroupIds).toEqual(['aws/firewall/nodes-id']);
    expect(cp2.ignoreChanges).toEqual(['ami', 'userData']);
    const userData = unwrap(cp2.inputs.userData);
    expect(userData.secret).toBe(true);
    expect(userData.value).toContain('hostname: cp2');
    expect(userData.value).toContain('image: factory.talos.dev/aws-installer/');
    expect(Buffer.byteLength(userData.value)).toBeLessThan(16384);
    expect(get(run.resources, 'aws/network/subnet-1').inputs).toMatchObject({
      cidrBlock: '10.0.16.0/20',
      availabilityZone: 'mock-1b',
      mapPublicIpOnLaunch: false,
    });
  });

  test('Talos on EC2: config from user data, the schematic installer applied after boot, talosctl through public addresses', () => {
    const apply = get(run.resources, 'aws/talos/apply/cp1');
    expect(apply.inputs.create).toContain('version >/dev/null 2>&1');
    expect(apply.inputs.create).not.toContain('--insecure');
    const env = unwrap(apply.inputs.environment).value;
    expect(env.NODE).toBe('198.51.100.11');
    const install = get(run.resources, 'aws/talos/install/cp1');
    expect(unwrap(install.inputs.environment).value.IMAGE).toMatch(/^factory\.talos\.dev\/aws-installer\/[0-9a-f]{64}:v1\.13\.9$/);
    expect(install.inputs.triggers).toEqual([unwrap(install.inputs.environment).value.IMAGE]);
  });

  test('the kubeconfig reaches the API through the public address and verifies the node address', async () => {
    const kubeconfig = await (run.result.kubeconfig as any).promise();
    expect(kubeconfig).toContain('server: https://198.51.100.11:6443');
    expect(kubeconfig).toContain('tls-server-name: 10.0.0.11');
  });

  test('the backup bucket is versioned, encrypted, private, TLS-only, expires old versions, and its key feeds the backup Secret', () => {
    const bucket = get(run.resources, 'backups/bucket');
    expect(bucket.inputs).toMatchObject({ bucket: 'hosting-example-backups', forceDestroy: false });
    expect(get(run.resources, 'backups/versioning').inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    expect(get(run.resources, 'backups/encryption').inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
    ]);
    expect(get(run.resources, 'backups/public-access').inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(get(run.resources, 'backups/ownership').inputs.rule).toEqual({ objectOwnership: 'BucketOwnerEnforced' });
    expect(get(run.resources, 'backups/lifecycle').inputs.rules[0]).toMatchObject({
      status: 'Enabled',
      noncurrentVersionExpiration: { noncurrentDays: 30 },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    });
    expect(JSON.parse(get(run.resources, 'backups/tls-only').inputs.policy).Statement[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const policy = JSON.parse(get(run.resources, 'backups/writer-policy').inputs.policy);
    expect(policy.Statement.flatMap((s: any) => s.Action)).toEqual([
      's3:ListBucket',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
    ]);
    const secret = get(run.resources, 'platform/v1/Secret/tenant-acme/backup-s3');
    const data = unwrap(secret.inputs.stringData);
    expect(data.secret).toBe(true);
    expect(data.value).toEqual({ ACCESS_KEY_ID: 'backups/writer-key-id', ACCESS_SECRET_KEY: 'mock-secret-access-key' });
    expect(get(run.resources, 'platform/postgresql.cnpg.io/v1/Cluster/tenant-acme/main').dependsOn).toContain(
      'platform/v1/Secret/tenant-acme/backup-s3',
    );
  });
});

describe('AWS personal-cloud stack (K3s)', () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack('personal-cloud');
  });

  test('SSH instead of Talos ports, Calico flows, an EC2 key pair for the login user', () => {
    expect(ingress(get(run.resources, 'aws/firewall/nodes')).map((r: any) => r.description)).toEqual([
      'kubelet from nodes',
      'SSH from admins',
      'Calico IP-in-IP',
      'Calico BGP',
      'Calico Typha',
    ]);
    expect(get(run.resources, 'aws/firewall/nodes').inputs.ingress[2]).toMatchObject({ protocol: '4', fromPort: 0, toPort: 0, self: true });
    expect(get(run.resources, 'aws/machines/home').inputs.keyName).toBe('aws-ssh');
    expect(get(run.resources, 'aws/ssh').inputs.publicKey).toMatch(/^ssh-ed25519 /);
  });

  test('user data is cloud-config with the token, as a secret; SSH waits for cloud-init, then installs in join order', () => {
    const userData = unwrap(get(run.resources, 'aws/machines/home').inputs.userData);
    expect(userData.secret).toBe(true);
    expect(userData.value.startsWith('#cloud-config\n')).toBe(true);
    expect(userData.value).toContain('path: /etc/rancher/k3s/token');
    const install = get(run.resources, 'aws/k3s/install/gpu');
    expect(install.dependsOn).toEqual(expect.arrayContaining(['aws/k3s/install/home', 'aws/machines/gpu']));
    const connection = unwrap(install.inputs.connection).value;
    expect(connection).toMatchObject({ host: '198.51.100.20', user: 'ubuntu', port: 22 });
    expect(unwrap(connection.privateKey).secret || unwrap(install.inputs.connection).secret).toBe(true);
    expect(unwrap(install.inputs.stdin).value).toContain('cloud-init status --wait');
  });
});

describe('AWS errors', () => {
  const build = (m: ReturnType<typeof fresh>, vip?: string) => {
    const { Platform } = m.require('lib/core/platform');
    const { TalosCluster } = m.require('constructs/nodes/talos-cluster');
    const { App } = require('cdk8s');
    const platform = new Platform(new App(), 'p', { kubernetesVersion: '1.33' });
    const cluster = new TalosCluster(platform, 'c', { network: { link: 'eth0' }, vip });
    cluster.addNode('cp1', { role: 'controlplane', address: '10.0.0.11/20' });
    cluster.addNode('w1', { role: 'worker', address: '10.0.0.21/20' });
    return cluster;
  };
  const messageOf = (create: () => unknown) => {
    try {
      create();
    } catch (e: any) {
      expect(e.name).toBe('ConfigurationError');
      return e.message as string;
    }
    throw new Error('no error');
  };

  test('a Talos cluster for bare metal, with a VIP, and nodes outside the pools', () => {
    const m = fresh();
    const { AwsCluster } = m.require('lib/pulumi/provision/aws-cluster');
    const message = messageOf(
      () =>
        new AwsCluster('aws', build(m, '10.0.0.10'), {
          adminCidrs: ['203.0.113.0/24'],
          pools: [{ name: 'a', instanceType: 'm6i.large', nodes: ['cp1', 'cp9'] }],
        }),
    );
    expect(message).toContain('[aws] 4 problems:');
    expect(message).toContain('pools: "w1" is a node that no pool runs. Fix: list "w1" in the nodes of exactly one pool.');
    expect(message).toContain('pools: "cp9" is not a node of p/c (cp1, w1).');
    expect(message).toContain('cluster.imagePlatform: "metal" must be "aws" on EC2: the installer image is built per platform.');
    expect(message).toContain(
      'cluster.vip: "10.0.0.10" is a Layer 2 VIP, which a VPC does not forward. Fix: remove vip; the endpoint is the first control plane.',
    );
  });

  test('admin networks: none, malformed, or the whole internet without opting in', () => {
    const m = fresh();
    expect(messageOf(() => new m.provision.AwsFirewall('fw', { vpcId: 'vpc', distribution: 'k3s', adminCidrs: [] }))).toContain(
      'adminCidrs: [] must name the networks that manage the cluster; without them neither talosctl, SSH nor the Kubernetes API is reachable',
    );
    const message = messageOf(
      () => new m.provision.AwsFirewall('fw', { vpcId: 'vpc', distribution: 'k3s', adminCidrs: ['0.0.0.0/0', '10.0.0.1/8'] }),
    );
    expect(message).toContain(
      'adminCidrs: "0.0.0.0/0" opens the Kubernetes API and the management ports to the whole internet. Fix: name your own networks, or set openToInternet: true.',
    );
    expect(message).toContain('adminCidrs: "10.0.0.1/8" must be an IPv4 network with no host bits');
  });

  test('addresses with leading zeros, which AWS and Linux read differently, are refused', () => {
    const m = fresh();
    expect(
      messageOf(() => new m.provision.AwsFirewall('fw', { vpcId: 'vpc', distribution: 'k3s', adminCidrs: ['010.0.0.0/8'] })),
    ).toContain('adminCidrs: "010.0.0.0/8" must be an IPv4 network with no host bits');
    expect(messageOf(() => new m.provision.AwsNetwork('net', { cidr: '10.0.0.0/16', subnets: ['10.0.00.0/20'] }))).toContain(
      'subnets[0]: "10.0.00.0/20" must be an IPv4 network between /16 and /28 (AWS limits), with no host bits',
    );
  });

  test('VPC ranges: subnets outside the VPC, overlapping, too many for the zones', () => {
    const m = fresh();
    const message = messageOf(
      () =>
        new m.provision.AwsNetwork('net', {
          cidr: '10.0.0.0/16',
          subnets: ['10.0.0.0/20', '10.0.8.0/21', '10.1.0.0/20'],
          availabilityZones: ['a', 'b'],
        }),
    );
    expect(message).toContain('subnets[1]: "10.0.8.0/21" overlaps subnets[0] 10.0.0.0/20. Fix: use disjoint ranges.');
    expect(message).toContain('subnets[2]: "10.1.0.0/20" is outside the VPC range 10.0.0.0/16.');
    expect(message).toContain('availabilityZones: ["a","b"] names 2 zones for 3 subnets. Fix: name one zone per subnet.');
  });

  test('machine addresses: outside every subnet, reserved by AWS, used twice, unknown pool', async () => {
    const m = fresh();
    let message = '';
    await m.mocks.runUnderMocks('p', 's', () => {
      const network = new m.provision.AwsNetwork('net', { availabilityZones: ['a', 'b', 'c'] });
      const firewall = new m.provision.AwsFirewall('fw', { vpcId: network.vpc.id, distribution: 'k3s', adminCidrs: ['203.0.113.0/24'] });
      message = messageOf(
        () =>
          new m.provision.AwsMachines('machines', {
            network,
            firewall,
            userData: () => '',
            pools: [{ name: 'main', instanceType: 'm6i.large', ami: 'ami-1', volumeGiB: 4 }],
            machines: [
              { name: 'a', pool: 'main', controlPlane: true, address: '10.0.48.5' },
              { name: 'b', pool: 'main', controlPlane: false, address: '10.0.16.1' },
              { name: 'c', pool: 'big', controlPlane: false, address: '10.0.0.20' },
              { name: 'd', pool: 'main', controlPlane: false, address: '10.0.0.20' },
            ],
          }),
      );
    });
    expect(message).toContain('pools[0].volumeGiB: 4 must be a whole number of GiB from 8 to 16384 (gp3 limits).');
    expect(message).toContain('machines.a.address: "10.0.48.5" is in none of the subnets (10.0.0.0/20, 10.0.16.0/20, 10.0.32.0/20)');
    expect(message).toContain(
      'machines.b.address: "10.0.16.1" is one of the five addresses AWS keeps in subnet 10.0.16.0/20 (the first four and the last)',
    );
    expect(message).toContain('machines.c.pool: "big" is not a pool (main).');
    expect(message).toContain(
      'machines.d.address: "10.0.0.20" is also the address of machine "c". Fix: give each machine its own address.',
    );
  });

  test('backup bucket name and region', () => {
    const m = fresh();
    const message = messageOf(() => new m.provision.BackupBucket('backups', { bucketName: 'Backups_1', region: 'europe' }));
    expect(message).toContain('bucketName: "Backups_1" must be an S3 bucket name: 3–63 lower-case letters, digits, dots and hyphens.');
    expect(message).toContain('region: "europe" must be an AWS region such as "eu-central-1".');
  });
});
