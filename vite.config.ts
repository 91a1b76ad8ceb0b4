import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// Brotli and gzip copies of the built assets next to them, served by the API server when the
// browser accepts them (@fastify/static preCompressed): the shell is about a quarter of its size
// on a slow connection, with no compression work per request.
function precompress(): Plugin {
  return {
    name: 'arusha-precompress',
    apply: 'build',
    closeBundle() {
      const dir = path.resolve('dist/web/assets');
      if (!fs.existsSync(dir)) return;
      for (const f of fs.readdirSync(dir)) {
        if (!/\.(js|css|svg|json)$/.test(f)) continue;
        const data = fs.readFileSync(path.join(dir, f));
        if (data.length < 1024) continue;
        const br = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
        fs.writeFileSync(path.join(dir, `${f}.br`), br);
        fs.writeFileSync(path.join(dir, `${f}.gz`), zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

// Where the dev server and `vite preview` send /api (the Arusha server).
const api = process.env.ARUSHA_API_URL ?? 'http://127.0.0.1:8080';

// The web UI: index.html at the project root, sources in src/web and src/modules/*/ui,
// output in dist/web (served by the API server with an SPA fallback).
export default defineConfig({
  plugins: [react(), precompress()],
  publicDir: 'public',
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Two library chunks (framework; Mantine and the rest) instead of dozens of tiny shared
          // chunks. Pages stay split per route; ECharts (with zrender, tslib), the world map's outline
          // (world-atlas, topojson-client; docs/adr/0032) and the SCORM runtime in their own lazy chunks.
          groups: [
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|@tanstack|i18next|react-i18next|@mantine[\\/]hooks)[\\/]/,
              priority: 10,
            },
            {
              name: 'mantine',
              test: /node_modules[\\/](?!echarts|zrender|tslib|scorm-again|world-atlas|topojson-client)/,
              priority: 5,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: api, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
    },
  },
});
