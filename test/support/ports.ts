// Tests take their private ports from the stack's helper.
export { freePort } from "../../stack/ports.js";
