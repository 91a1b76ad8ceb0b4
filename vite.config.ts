import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Where the dev server and `vite preview` send /api (the Arusha server).
const api = process.env.ARUSHA_API_URL ?? 'http://127.0.0.1:8080';

// The web UI: index.html at the project root, sources in src/web and src/modules/*/ui,
// output in dist/web (served by the API server with an SPA fallback).
export default defineConfig({
  plugins: [react()],
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
          // chunks. Pages stay split per route; ECharts (with zrender, tslib) and the SCORM runtime
          // in their own lazy chunks.
          groups: [
            {
              name: 'vendor',
              test: /node_modules[\\/](react|react-dom|scheduler|@tanstack|i18next|react-i18next|@mantine[\\/]hooks)[\\/]/,
              priority: 10,
            },
            { name: 'mantine', test: /node_modules[\\/](?!echarts|zrender|tslib|scorm-again)/, priority: 5 },
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
