/**
 * The URL a mock announces for the address it is bound to.
 *
 * @since 0.1.0
 */

/**
 * The base URL of a server bound to `host` and `port`; IPv6 addresses go in brackets (`http://[::1]:4010`).
 *
 * @since 0.1.0
 * @category utils
 */
export const baseUrl = (host: string, port: number): string =>
  `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`
