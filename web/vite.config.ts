import { defineConfig } from 'vite';

// The app is served by the Codraft server from web/dist (see the README);
// `vite` alone (dev server) proxies the API and the sync socket to it.
export default defineConfig({
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/sync': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
