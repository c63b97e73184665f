/** The base URL of a server bound to `host` and `port`; IPv6 addresses go in brackets (`http://[::1]:4010`). */
export const baseUrl = (host: string, port: number): string =>
  `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`
