/**
 * `@acs-identity/transport-node`: the SDK's `Transport` for Node over `node:http` / `node:https` with
 * keep-alive agents.
 *
 * @since 0.1.0
 */

/**
 * The transport: `make`, `layer`, `layerWith`.
 *
 * @since 0.1.0
 */
export * as NodeTransport from "./NodeTransport.js"
