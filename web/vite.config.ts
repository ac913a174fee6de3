import { defineConfig, type Plugin } from 'vite';

// The WASM client is the largest download: index.html asks for it at once
// (a preload the client's own fetch then takes), so it arrives while the
// scripts load and /api/me is asked, not after.
function preloadWasm(): Plugin {
  return {
    name: 'codraft-preload-wasm',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const wasm = Object.keys(ctx.bundle ?? {}).find((f) => f.endsWith('.wasm'));
        return wasm
          ? [{ tag: 'link', attrs: { rel: 'preload', href: `/${wasm}`, as: 'fetch', type: 'application/wasm', crossorigin: '' }, injectTo: 'head' }]
          : [];
      },
    },
  };
}

// The app is served by the Codraft server from web/dist (see the README);
// `vite` alone (dev server) proxies the API and the sync socket to it.
export default defineConfig({
  plugins: [preloadWasm()],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0 },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/sync': { target: 'ws://127.0.0.1:8080', ws: true },
    },
  },
});
