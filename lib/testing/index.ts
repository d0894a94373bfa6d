export { snapshot, type ManifestsByChart } from './snapshot';
export { validated, type ValidatedOptions } from './validated';
export { deployWithMocks, type MockDeployment, type MockOptions, type MockResource, type PlatformMockOptions } from './pulumi-mocks';
export { SchemaRegistry } from '../validate';
