// `npm start`: the demo pages, served from source with hot reload.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'demo',
  server: {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 5173),
    strictPort: false,
    fs: { allow: ['..'] },
  },
  preview: {
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 4173),
  },
});
