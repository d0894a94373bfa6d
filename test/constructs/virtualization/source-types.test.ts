import { VmDisk } from '../../../constructs/virtualization/vm-disk';
import { VmImage } from '../../../constructs/virtualization/vm-image';
import { messageOf, virtualizationPlatform } from './fixtures';

// Each `@ts-expect-error` fails the type check (`tsc -p test`, ts-jest) if the compiler accepts the combination below it;
// running the line shows the run-time check, for untyped props, refuses it too.

const UBUNTU = 'docker://quay.io/containerdisks/ubuntu:24.04';
const HTTP = { url: 'https://example.com/a.img' };

describe('a disk has exactly one source, by type', () => {
  test('one of http, registry, blank and clone compiles', () => {
    const { tenant } = virtualizationPlatform();
    const image = new VmImage(tenant, 'ubuntu', { registry: { url: UBUNTU } });
    expect(
      [
        new VmDisk(tenant, 'a', { http: HTTP }),
        new VmDisk(tenant, 'b', { registry: { url: UBUNTU } }),
        new VmDisk(tenant, 'c', { blank: true, size: '1Gi' }),
        new VmDisk(tenant, 'd', { clone: { image } }),
        new VmDisk(tenant, 'e', { clone: { pvc: 'a' } }),
      ].map((d) => d.diskName),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('two sources do not compile', () => {
    const { tenant } = virtualizationPlatform();
    // @ts-expect-error http and blank together
    expect(messageOf(() => new VmDisk(tenant, 'root', { blank: true, http: HTTP }))).toContain(
      'http + blank: ["http","blank"] are all set',
    );
    // @ts-expect-error registry and clone together
    expect(messageOf(() => new VmDisk(tenant, 'data', { registry: { url: UBUNTU }, clone: { pvc: 'a' } }))).toContain('registry + clone');
  });

  test('no source does not compile', () => {
    const { tenant } = virtualizationPlatform();
    // @ts-expect-error a disk needs a source
    expect(messageOf(() => new VmDisk(tenant, 'root', { size: '1Gi' }))).toContain('is required: a disk needs exactly one source');
  });

  test('blank: false is no source and does not compile', () => {
    const { tenant } = virtualizationPlatform();
    // @ts-expect-error blank is only ever true
    expect(messageOf(() => new VmDisk(tenant, 'root', { blank: false }))).toContain('blank: false must be true');
  });

  test('a clone of two volumes does not compile', () => {
    const { tenant } = virtualizationPlatform();
    // @ts-expect-error pvc and dataSource together
    expect(messageOf(() => new VmDisk(tenant, 'root', { clone: { pvc: 'a', dataSource: 'b' } }))).toContain(
      'must name exactly one volume to copy',
    );
  });
});

describe('a golden image has exactly one source, by type', () => {
  test('http and registry together do not compile', () => {
    const { tenant } = virtualizationPlatform();
    // @ts-expect-error http and registry together
    expect(messageOf(() => new VmImage(tenant, 'ubuntu', { http: HTTP, registry: { url: UBUNTU } }))).toContain(
      'http + registry: ["http","registry"] are both set',
    );
  });

  test('refresh of an http image does not compile', () => {
    const { tenant } = virtualizationPlatform();
    // @ts-expect-error only a registry image is refreshed
    expect(messageOf(() => new VmImage(tenant, 'ubuntu', { http: HTTP, refresh: { schedule: '0 3 * * 1' } }))).toContain(
      'refresh: "0 3 * * 1" needs a registry source',
    );
  });
});
