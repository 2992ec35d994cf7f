// Vite builds the front end into ui/dist, which the Tauri app embeds.
// Preact's JSX runtime is configured through esbuild directly (no plugin needed).
import { defineConfig } from "vitest/config";

export default defineConfig({
  clearScreen: false,
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK 2.40+ (Debian 12 / Ubuntu 22.04 and later).
    target: "safari16",
    sourcemap: false,
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
