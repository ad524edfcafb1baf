import { defineConfig } from "vite";

// The app loads ui/dist from disk through Tauri's asset protocol: relative URLs, no dev server.
export default defineConfig({
  base: "./",
  clearScreen: false,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebView2 on Windows, WKWebView on macOS, WebKitGTK on Linux.
    target: ["es2021", "chrome105", "safari15"],
    sourcemap: false,
  },
});
