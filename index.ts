export * from './lib/core';
export * from './lib/releases';
export { versions } from './lib/versions';
export * from './constructs/platform/cert-manager';
export * from './constructs/platform/tenant';
export * from './constructs/data/cloudnative-pg';
export * from './constructs/data/barman-cloud-plugin';
export * from './constructs/data/postgres';
