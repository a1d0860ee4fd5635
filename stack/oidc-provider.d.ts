// The part of oidc-provider 9's API the stack's OIDC provider uses: the package ships no types.
declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export default class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    /** The Koa app as a Node request listener. */
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    on(event: "client_credentials.issued" | "client_credentials.saved", listener: (token: { clientId: string }) => void): this;
    on(event: "server_error" | "grant.error", listener: (context: unknown, error: Error) => void): this;
  }
}
