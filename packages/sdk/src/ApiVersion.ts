/**
 * The service api-versions this SDK speaks, and which features each one has. Which operations each
 * version has is in the operation table (`Operations.ts`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Every api-version the client can send. The older GA versions the service still lists have fewer
 * parts: `2021-03-07` has no Teams user exchange, `2021-03-07` and `2022-06-01` no
 * `expiresInMinutes`, and everything before `2023-10-01` only the `chat` and `voip` scopes
 * (`2023-08-01` is `2022-10-01` plus repeatability headers). From `2023-10-01` all share one identity
 * wire shape; `2025-06-30`, `2026-07-22` and `2026-09-23` add the Teams Phone extension, and
 * `2025-03-02-preview` has that, `customId`, `getUser` and the Entra ID operations.
 *
 * @since 0.1.0
 * @category models
 */
export const ApiVersion = Schema.Literal(
  "2021-03-07",
  "2022-06-01",
  "2022-10-01",
  "2023-08-01",
  "2023-10-01",
  "2025-06-30",
  "2026-07-22",
  "2026-09-23",
  "2025-03-02-preview"
)
/**
 * @since 0.1.0
 * @category models
 * @see ApiVersion
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
 * The preview version that adds `customId` on create, `getUser` and the Entra ID operations.
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

const withoutExpiry: ReadonlyArray<ApiVersion> = ["2021-03-07", "2022-06-01"]
const chatAndVoipOnly: ReadonlyArray<ApiVersion> = ["2021-03-07", "2022-06-01", "2022-10-01", "2023-08-01"]

/**
 * True for versions that take `expiresInMinutes` on create and issue (`2022-10-01` and later).
 *
 * @since 0.1.0
 * @category predicates
 */
export const supportsExpiresInMinutes = (version: ApiVersion): boolean => !withoutExpiry.includes(version)

/**
 * True for versions with the `chat.join`, `chat.join.limited` and `voip.join` scopes (`2023-10-01`
 * and later); older ones have only `chat` and `voip`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const supportsJoinScopes = (version: ApiVersion): boolean => !chatAndVoipOnly.includes(version)
