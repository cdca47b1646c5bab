import { defineConfig } from "vite";

// Everything is bundled: no CDN, no external fonts or scripts. `base: "./"` lets the built app
// be served from any path (e.g. a gateway's `/app/`, issue 18's later step).
export default defineConfig({
  base: "./",
  build: {
    target: "es2022",
    outDir: "dist",
    sourcemap: false,
    // polkadot-api and the descriptors' metadata make one large chunk by design.
    chunkSizeWarningLimit: 1200,
  },
  // The light client (smoldot, src/light-client.ts) runs in a module worker of its own.
  worker: { format: "es" },
  server: { host: "127.0.0.1", port: 5173, strictPort: false },
  preview: { host: "127.0.0.1" },
});
