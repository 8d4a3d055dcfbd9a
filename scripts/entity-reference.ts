// Writes docs/entities.md from the entity tables: npm run docs:entities
import { writeFileSync } from 'node:fs';
import { entityReference } from '../src/model/reference.js';

writeFileSync(new URL('../docs/entities.md', import.meta.url), entityReference());
console.log('wrote docs/entities.md');
