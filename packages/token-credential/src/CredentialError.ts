/**
 * The one error a credential fails with. `reason` says which rule was hit; the message never
 * carries a token.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Why a credential could not hand out a token:
 *
 * - `InvalidToken`: an empty or blank token, or a malformed `AccessToken`;
 * - `ExpiredToken`: the token (static, initial or just refreshed) has already expired;
 * - `RefreshFailed`: the refresher (or the Entra token source, or the exchange) failed;
 * - `InvalidArgument`: an Entra exchange endpoint that is not a URL, or scopes that are empty,
 *   unknown or mix the two families;
 * - `Disposed`: the credential's scope was closed.
 *
 * @since 0.1.0
 * @category errors
 */
export const CredentialErrorReason = Schema.Literal(
  "InvalidToken",
  "ExpiredToken",
  "RefreshFailed",
  "InvalidArgument",
  "Disposed"
)

/**
 * @since 0.1.0
 * @category errors
 */
export type CredentialErrorReason = typeof CredentialErrorReason.Type

/**
 * The credential could not produce a valid token.
 *
 * @since 0.1.0
 * @category errors
 */
export class CredentialError extends Schema.TaggedError<CredentialError>()("CredentialError", {
  reason: CredentialErrorReason,
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {}
