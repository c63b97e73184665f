/**
 * `@acs-identity/transport-node`: the SDK's `Transport` for Node: HTTP/1.1 over `node:net` /
 * `node:tls` with keep-alive connections.
 *
 * @since 0.1.0
 */

/**
 * The transport: `make`, `layer`, `layerWith`.
 *
 * @since 0.1.0
 */
export * as NodeTransport from "./NodeTransport.js"
