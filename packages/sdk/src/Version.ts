/**
 * This package's name and version, as sent in the `User-Agent` header.
 *
 * @since 0.1.0
 */

/**
 * The npm package name.
 *
 * @since 0.1.0
 * @category constants
 */
export const packageName = "@acs-identity/sdk"

/**
 * The package version; a unit test keeps it equal to package.json.
 *
 * @since 0.1.0
 * @category constants
 */
export const packageVersion = "0.1.0"

/**
 * The `User-Agent` product token: `acs-identity-sdk/<version>`.
 *
 * @since 0.1.0
 * @category constants
 */
export const userAgent = `acs-identity-sdk/${packageVersion}`
