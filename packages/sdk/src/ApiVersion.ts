/**
 * The service api-versions this SDK speaks, and which features each one has.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Every api-version the client can send. All share the identity wire shapes of 2023-10-01.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ApiVersion = Schema.Literal("2023-10-01", "2025-06-30", "2026-09-23", "2025-03-02-preview")
/**
 * @see ApiVersion
 *
 * @since 0.1.0
 * @category schemas
 */
export type ApiVersion = typeof ApiVersion.Type

/**
 * The version sent when none is chosen: the GA version the spec in `spec/` describes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiVersion: ApiVersion = "2025-06-30"

/**
 * The preview version that adds `customId` on create and `getUser`.
 *
 * @since 0.1.0
 * @category constants
 */
export const previewApiVersion: ApiVersion = "2025-03-02-preview"

/**
 * True for versions that support `customId` and `GET /identities/{id}`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const supportsCustomId = (version: ApiVersion): boolean => version === previewApiVersion
