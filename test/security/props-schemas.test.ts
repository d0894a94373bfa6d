import * as fs from 'fs';
import { formatPropsSchemas, generatePropsSchemas, PROPS_SCHEMAS_FILE } from '../../scripts/generate-props-schemas';

test('the committed props schemas are generated from the current props types (npm run props-schemas)', () => {
  const committed = fs.readFileSync(PROPS_SCHEMAS_FILE, 'utf8');
  expect(formatPropsSchemas(generatePropsSchemas())).toBe(committed);
});
