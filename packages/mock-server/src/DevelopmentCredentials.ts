/**
 * The fixed, public development credentials the mock servers hand out.
 *
 * The mocks never check HMAC signatures against a secret (Prism only checks that an
 * `Authorization` header is present), but the official clients need a syntactically valid
 * connection string, so every mock uses this one well-known key. It is not a secret.
 *
 * @since 0.1.0
 */

/**
 * The ASCII text whose base64 form is the development access key. Clearly not a real key.
 *
 * @since 0.1.0
 * @category constants
 */
export const accessKeyText = "acs-identity-mock-development-key"

/**
 * The development access key: base64 of {@link accessKeyText}.
 *
 * @since 0.1.0
 * @category constants
 */
export const accessKey = "YWNzLWlkZW50aXR5LW1vY2stZGV2ZWxvcG1lbnQta2V5"

/**
 * Builds an ACS connection string for a mock at `url`:
 * `endpoint=<url>/;accesskey=<key>` (one trailing slash, whatever `url` ends with); the key defaults
 * to the development key.
 *
 * @since 0.1.0
 * @category constructors
 */
export const connectionStringFor = (url: string, key: string = accessKey): string =>
  `endpoint=${url.replace(/\/+$/, "")}/;accesskey=${key}`
