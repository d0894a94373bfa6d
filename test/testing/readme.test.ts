import * as fs from 'fs';
import * as path from 'path';
import { readmeFiles, readmeUsageExample } from './readme-files';

const ROOT = path.resolve(__dirname, '../..');

describe('README examples', () => {
  const files = readmeFiles();

  test('the testing section consists of a jest config, a tsconfig and two tests', () => {
    expect(Object.keys(files).sort()).toEqual(['deployment.test.ts', 'jest.config.js', 'platform.test.ts', 'tsconfig.json']);
    expect(JSON.parse(files['tsconfig.json']).compilerOptions.module).toBe('commonjs');
  });

  test.each(['platform.test.ts', 'deployment.test.ts'])('%s is the test of test/testing/readme/ that runs here', (name) => {
    expect(files[name]).toBe(fs.readFileSync(path.join(__dirname, 'readme', name), 'utf8'));
  });

  test('the usage example is examples/shop/main.ts', () => {
    expect(readmeUsageExample()).toBe(fs.readFileSync(path.join(ROOT, 'examples/shop/main.ts'), 'utf8'));
  });
});
