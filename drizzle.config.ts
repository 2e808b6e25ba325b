import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes a new migration into src/db/migrations after schema.ts changes.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
