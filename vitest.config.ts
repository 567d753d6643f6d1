import { defineConfig } from "vitest/config";

// Integration tests start real servers (Samba AD DC, slapd); they get long timeouts
// and run in their own files so the unit suite stays fast.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
