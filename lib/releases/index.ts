export * from './chart';
export * from './release';
export * from './operator';
export { K3S_HELM_NAMESPACE } from './k3s';
