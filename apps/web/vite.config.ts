// Vite build of the web UI into dist/web; relative asset URLs so the page works under any path prefix.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  base: './',
  build: {
    outDir: resolve(__dirname, '../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
  },
});
