import { Component } from '../../lib/core/component';
import { Problems } from '../../lib/core/errors';
import { Platform } from '../../lib/core/platform';
import { StorageClassRef } from '../../lib/core/storage-class';
import { claimStorageClass } from './storage-classes';

/**
 * Node-local volumes for single machines: the `local-path` StorageClass of the local-path-provisioner that
 * K3s runs itself (provisioner `rancher.io/local-path`, WaitForFirstConsumer), which K3s marks as the
 * default class. kubestrata renders no objects for it; declaring it claims the name and the default, so
 * that no other class of the platform is made a second default. The provisioner's Helm chart is only
 * published inside its git repository, not in a chart repository a release intent can pin, so other
 * delivery kinds are not supported.
 */
export class LocalPath extends Component {
  static readonly PROVISIONER = 'rancher.io/local-path';
  static readonly CLASS_NAME = 'local-path';

  readonly storageClass: StorageClassRef;

  constructor(platform: Platform) {
    super(platform, 'storage', 'local-path');
    const problems = Problems.of(this);
    problems.check(
      platform.delivery === 'k3s',
      'platform.delivery',
      platform.delivery,
      'has no local-path provisioner: kubestrata uses the one K3s runs, and upstream publishes its chart in no chart repository',
      "use K3s delivery, or Linstor's local class on other clusters",
    );
    claimStorageClass(this, problems, 'storageClass', LocalPath.CLASS_NAME, true);
    problems.throwIfAny();
    this.storageClass = new StorageClassRef(LocalPath.CLASS_NAME, this, true);
  }
}
