// `node --import ./register.mjs out/main/index.js`: the built main bundle's `import ... from
// "electron"` resolves to the stand-in (electron.mjs) instead of the npm package, which under Node
// is only the path of a binary. See test/integration/app-boot.test.ts.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
