/**
 * Pulumi type tokens follow one scheme, `kubestrata:<module>:<Class>`: the module is the package export the class
 * comes from (`pulumi` for `kubestrata/pulumi`, `provision` for `kubestrata/provision`) and the class is its name.
 * The components PlatformDeployment makes for its charts are named by the chart's role.
 */
export const PLATFORM_DEPLOYMENT_TYPE = 'kubestrata:pulumi:PlatformDeployment';
export const CHART_TYPES = {
  layer: 'kubestrata:pulumi:LayerChart',
  tenant: 'kubestrata:pulumi:TenantChart',
  other: 'kubestrata:pulumi:Chart',
} as const;
