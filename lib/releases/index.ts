export * from './chart';
export * from './release';
export * from './chart-component';
export * from './values';
export { K3S_HELM_NAMESPACE } from './k3s';
