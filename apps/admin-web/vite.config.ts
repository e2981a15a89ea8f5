// Builds the admin single-page app into dist/, which the api serves at /. In dev, api calls are proxied.

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1_000 },
  server: {
    proxy: {
      '/readyz': process.env.QBO_SYNC_API_URL ?? 'http://127.0.0.1:3000',
      '/healthz': process.env.QBO_SYNC_API_URL ?? 'http://127.0.0.1:3000',
      '/v1': process.env.QBO_SYNC_API_URL ?? 'http://127.0.0.1:3000',
    },
  },
});
