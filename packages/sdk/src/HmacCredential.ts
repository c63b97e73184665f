/**
 * HMAC-SHA256 request signing with the resource's access key, as the service requires:
 * `x-ms-date`, `x-ms-content-sha256` and `Authorization: HMAC-SHA256 SignedHeaders=…&Signature=…`.
 * The date comes from the Effect `Clock`, so `TestClock` controls it.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { CredentialError, InvalidArgumentError } from "./Errors.js"
import * as Hmac from "./internal/hmac.js"
import { RequestSigner, type SignableRequest } from "./RequestSigner.js"

/**
 * Builds an HMAC signer from a base64 access key. Fails, without echoing the key, when it is not base64.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  accessKey: Redacted.Redacted<string>
): Effect.Effect<RequestSigner["Type"], InvalidArgumentError> =>
  Effect.gen(function*() {
    const bytes = Hmac.decodeAccessKey(Redacted.value(accessKey))
    if (bytes === undefined || bytes.length === 0) {
      return yield* new InvalidArgumentError({ argument: "accessKey", message: "the access key is not valid base64" })
    }
    const key = yield* Hmac.importHmacKey(bytes).pipe(
      Effect.mapError(() => new InvalidArgumentError({ argument: "accessKey", message: "the access key was refused" }))
    )
    const crypto = (cause: unknown) => new CredentialError({ message: "HMAC signing failed", cause })
    /** Web Crypto (or a hook-less runtime): digest and HMAC are promises. */
    const signAsync = (request: SignableRequest, date: string) =>
      Effect.gen(function*() {
        const hash = yield* Effect.mapError(Hmac.contentHash(request.body), crypto)
        const signature = yield* Effect.mapError(
          Hmac.hmacSignature(key, Hmac.requestStringToSign(request, date, hash)),
          crypto
        )
        return {
          "x-ms-date": date,
          "x-ms-content-sha256": hash,
          authorization: Hmac.authorizationHeader(signature)
        }
      })
    // `x-ms-date` has whole seconds: the string is made once per second, not once per request.
    let second = Number.NaN
    let secondDate = ""
    const dateOf = (now: number): string => {
      const at = Math.floor(now / 1000)
      if (at !== second) {
        second = at
        secondDate = new Date(at * 1000).toUTCString()
      }
      return secondDate
    }
    return RequestSigner.of({
      // The fiber's Clock read in one step (rather than `Clock.currentTimeMillis` and a flat-map).
      sign: (request: SignableRequest) =>
        Effect.withFiberRuntime((fiber) => {
          const date = dateOf(Context.get(fiber.currentDefaultServices, Clock.Clock).unsafeCurrentTimeMillis())
          const headers = Hmac.signSync(key, request, date)
          return headers === undefined ? signAsync(request, date) : Effect.succeed(headers)
        }),
      // With node:crypto the key signs in place: the client needs no effect step for it.
      signNow: (request, nowMillis) => Hmac.signSync(key, request, dateOf(nowMillis))
    })
  })

/**
 * The HMAC signer as a layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (accessKey: Redacted.Redacted<string>): Layer.Layer<RequestSigner, InvalidArgumentError> =>
  Layer.effect(RequestSigner, make(accessKey))
