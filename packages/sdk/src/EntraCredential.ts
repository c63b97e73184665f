/**
 * Entra ID (Azure AD) bearer authentication. The token comes from any effect the caller provides
 * (MSAL, `@azure/identity`, a managed identity endpoint, …), requested for `scope`.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { CredentialError } from "./Errors.js"
import { RequestSigner } from "./RequestSigner.js"

/**
 * The scope to request the Entra token for. The double slash is what the service expects.
 *
 * @since 0.1.0
 * @category constants
 */
export const scope = "https://communication.azure.com//.default"

/**
 * A signer that sets `Authorization: Bearer <token>` from `token`, run for every attempt.
 * Cache it yourself if your token source does not (e.g. `Effect.cachedWithTTL`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <E, R>(
  token: Effect.Effect<Redacted.Redacted<string> | string, E, R>
): Effect.Effect<RequestSigner["Type"], never, R> =>
  Effect.map(Effect.context<R>(), (context) =>
    RequestSigner.of({
      sign: () =>
        token.pipe(
          Effect.provide(context),
          Effect.mapError((cause) => new CredentialError({ message: "the Entra token source failed", cause })),
          Effect.flatMap((value) => {
            const raw = Redacted.isRedacted(value) ? Redacted.value(value) : value
            return raw.length === 0
              ? Effect.fail(new CredentialError({ message: "the Entra token source returned an empty token" }))
              : Effect.succeed({ authorization: `Bearer ${raw}` })
          })
        )
    }))

/**
 * The Entra signer as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E, R>(
  token: Effect.Effect<Redacted.Redacted<string> | string, E, R>
): Layer.Layer<RequestSigner, never, R> => Layer.effect(RequestSigner, make(token))
