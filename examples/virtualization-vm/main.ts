import { App } from 'cdk8s';
import { Cdi, KubeVirt, Platform, SecretRef, Tenant, VirtualMachine, VmDisk, VmImage } from 'kubestrata';

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist' });
const platform = new Platform(app, 'platform', { delivery: 'flux', kubernetesVersion: '1.32', storageClass: 'replicated' });

// KubeVirt and CDI ship release manifests, not Helm charts: these are the charts this platform wraps them in.
const charts = 'oci://registry.example.com/platform-charts';
new KubeVirt(platform, { chart: { repository: charts, chart: 'kubevirt-operator', version: '1.8.4' } });
new Cdi(platform, { chart: { repository: charts, chart: 'cdi-operator', version: '1.64.0' } });

const lab = new Tenant(platform, 'lab', { podSecurity: 'baseline', quota: { cpu: '16', memory: '64Gi', storage: '500Gi' } });

const ubuntu = new VmImage(lab, 'ubuntu-24-04', {
  registry: { url: 'docker://quay.io/containerdisks/ubuntu:24.04' },
  refresh: { schedule: '0 3 * * 1' },
});
const root = new VmDisk(lab, 'builder-root', { clone: { image: ubuntu }, size: '40Gi' });
const scratch = new VmDisk(lab, 'builder-scratch', { blank: true, size: '100Gi' });

new VirtualMachine(lab, 'builder', {
  instancetype: 'u1.xlarge',
  disks: [root, scratch],
  cloudInit: SecretRef.fromConfig('builder-cloud-init', ['userdata']),
  external: true,
  externalSourceRanges: ['203.0.113.0/24'],
});

platform.synth();
