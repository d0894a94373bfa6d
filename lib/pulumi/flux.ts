import * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import { HelmChartSource } from '../releases/chart';
import { versions } from '../versions';
import { helmChartArgs } from './helm';

export const FLUX_NAMESPACE = 'flux-system';

/** Flux's API groups: every object in one of them needs the controllers running. */
export function isFluxObject(apiVersion: string): boolean {
  return /^[a-z.]+\.toolkit\.fluxcd\.io\//.test(apiVersion);
}

/** The Flux controllers that HelmRepository, OCIRepository and HelmRelease need (source and helm), with their CRDs. */
export function fluxRelease(
  name: string,
  opts: pulumi.CustomResourceOptions,
  source: HelmChartSource = versions.flux.chart,
): k8s.helm.v3.Release {
  const off = { create: false };
  return new k8s.helm.v3.Release(
    name,
    {
      name: 'flux',
      ...helmChartArgs(source),
      namespace: FLUX_NAMESPACE,
      createNamespace: true,
      values: {
        installCRDs: true,
        sourceController: { create: true },
        helmController: { create: true },
        kustomizeController: off,
        notificationController: off,
        imageAutomationController: off,
        imageReflectionController: off,
        sourceWatcher: off,
      },
    },
    opts,
  );
}
