// Module customization hook (runs off the main thread): the specifier `electron`, and only it,
// resolves to the stand-in. Everything else resolves as Node resolves it, so a bundle that imports
// a path or package that is not there fails here as it would in Electron.
const standIn = new URL("./electron.mjs", import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === "electron") return { url: standIn, format: "module", shortCircuit: true };
  return nextResolve(specifier, context);
}
