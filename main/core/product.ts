import packageJson from "../../package.json" with { type: "json" };

/** The display name, also the data folder's name on every platform. */
export const productName = "Streamdrop";
export const productVersion: string = packageJson.version;
