import { KubeOvn } from '../../constructs/network/kube-ovn';
import { KubeOvnSubnet } from '../../constructs/network/kube-ovn-subnet';
import { KubeOvnVpc } from '../../constructs/network/kube-ovn-vpc';
import { Cilium } from '../../constructs/network/cilium';
import { Tenant } from '../../constructs/platform/tenant';
import { manifests, newPlatform, problemsOf } from '../helpers';

function setup() {
  const platform = newPlatform();
  const kubeOvn = new KubeOvn(platform);
  new Cilium(platform);
  return { platform, kubeOvn, shop: new Tenant(platform, 'shop'), blog: new Tenant(platform, 'blog') };
}

const names = (all: any[], kind: string) => all.filter((m) => m.kind === kind).map((m) => m.metadata.name);

describe('cluster-scoped Kube-OVN objects made in tenants', () => {
  test('KubeOvnVpc reused by id in two tenants gives two Vpcs, each named after its tenant', () => {
    const { platform, shop, blog } = setup();
    new KubeOvnVpc(shop, 'vpc', { namespaces: ['tenant-shop'] }).subnet('net', { cidr: '10.240.0.0/24', namespaces: ['tenant-shop'] });
    new KubeOvnVpc(blog, 'vpc', { namespaces: ['tenant-blog'] }).subnet('net', { cidr: '10.240.0.0/24', namespaces: ['tenant-blog'] });
    const all = manifests(platform);
    expect(names(all, 'Vpc')).toEqual(['tenant-shop.vpc', 'tenant-blog.vpc']);
    expect(names(all, 'Subnet')).toEqual(['tenant-shop.net', 'tenant-blog.net']);
  });

  test("a Vpc made under one tenant cannot list another tenant's namespace", () => {
    const { shop } = setup();
    const error = problemsOf(() => new KubeOvnVpc(shop, 'vpc', { namespaces: ['tenant-shop', 'tenant-blog'] }));
    expect(error.message).toContain('[platform/shop/vpc] 1 problem');
    expect(error.message).toContain(
      'namespaces[1]: "tenant-blog" is not the namespace of the tenant at platform/shop, which may only bind its own namespace "tenant-shop"',
    );
  });

  test('a Vpc made under a tenant cannot take a name without the tenant prefix', () => {
    const { shop } = setup();
    const error = problemsOf(() => new KubeOvnVpc(shop, 'vpc', { name: 'tenant-blog.vpc' }));
    expect(error.message).toContain(
      'name: "tenant-blog.vpc" must be "tenant-shop" or start with "tenant-shop." in the tenant at platform/shop',
    );
    expect(error.message).toContain('Fix: use "tenant-shop.tenant-blog.vpc"');
  });

  test("a Subnet made under a tenant can neither bind another namespace nor join another tenant's Vpc", () => {
    const { blog, shop } = setup();
    new KubeOvnVpc(blog, 'vpc', { namespaces: ['tenant-blog'] });
    const error = problemsOf(
      () => new KubeOvnSubnet(shop, 'net', { cidr: '10.241.0.0/24', namespaces: ['tenant-blog'], vpc: 'tenant-blog.vpc' }),
    );
    expect(error.message).toContain('namespaces[0]: "tenant-blog" is not the namespace of the tenant at platform/shop');
    expect(error.message).toContain('vpc: "tenant-blog.vpc" must be "tenant-shop" or start with "tenant-shop."');
  });

  test('tenant subnets of the default VPC are named after the tenant namespace, as before', () => {
    const { platform, shop } = setup();
    KubeOvnSubnet.forTenant(shop, '10.250.0.0/24');
    expect(names(manifests(platform), 'Subnet')).toEqual(['tenant-shop']);
  });

  test("outside tenants, names and namespaces are the platform admin's choice", () => {
    const { platform } = setup();
    new KubeOvnVpc(platform.layer('network'), 'shared', { namespaces: ['tenant-shop', 'tenant-blog'] });
    expect(names(manifests(platform), 'Vpc')).toEqual(['shared']);
  });
});
