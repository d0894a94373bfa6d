export * from './provisioned-cluster';
export * from './node-traffic';
export * from './talos-machines';
export * from './k3s-machines';
export * from './metal-cluster';
export * from './aws-cluster';
