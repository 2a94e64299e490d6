// `node --import ./test/unit/register.mjs …`: TypeScript sources become importable (./typescript-hooks.mjs).
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
