// Loaded into the Electronegativity scanner (NODE_OPTIONS=--require): its two network lookups,
// updated translations and Electron's release list, go through got 11, which this machine cannot
// reach; got 11 then crashes the scanner on Node 24 with "The `onCancel` handler was attached
// after the promise settled" (sindresorhus/got#1489, a retry after its promise timed out).
// Here they fail at once instead, as they would offline, and the scanner's own catch goes on.
// The checks themselves never use the network; the Electron version is given with `-e`.
const Module = require("node:module");

const offline = () => Promise.reject(new Error("No network for the scanner: Streamdrop's check runs offline."));
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "got") return Object.assign(offline, { get: offline });
  return load.call(this, request, parent, isMain);
};
