import { defineConfig } from 'drizzle-kit';

// Tables live beside the module that owns them; drizzle-kit collects them all into one migration history.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/modules/*/tables.ts',
  out: './drizzle',
  casing: 'snake_case',
});
