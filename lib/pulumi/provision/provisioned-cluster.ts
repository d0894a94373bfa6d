import * as pulumi from '@pulumi/pulumi';

/** A cluster whose machines are up: the admin kubeconfig (secret) and the step after which its API answers. */
export interface ProvisionedCluster {
  readonly kubeconfig: pulumi.Output<string>;
  readonly ready: pulumi.Resource;
}
