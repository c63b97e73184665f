/**
 * The stateful mock's data plane: each operation of the SDK's table answered by the SDK's
 * `StoreAnswers` (the in-memory layer's answers too), given its request validated with the SDK's own
 * schemas, and written as the service writes JSON. `StoreAnswers.Answers` is keyed by every
 * operation id, so a row of the table without its answer does not compile.
 *
 * @since 0.1.0
 */
import { type IdentityStore, type Operations, StoreAnswers } from "@acs-identity/sdk/testing"
import * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Reply from "../shared/Reply.js"
import type * as Routes from "../shared/Routes.js"
import * as Wire from "../shared/Wire.js"

/**
 * A request routed to an operation, authenticated, and carrying a usable api-version.
 *
 * @since 0.1.0
 * @category models
 */
export interface Admitted {
  readonly route: Routes.Route
  readonly apiVersion: string
  readonly body: Uint8Array
  readonly query: URLSearchParams
  readonly bearer: Redacted.Redacted<string> | undefined
}

type Answer = (
  request: StoreAnswers.Request<Operations.OperationId>
) => Effect.Effect<
  StoreAnswers.Answer<unknown>,
  { readonly status: number; readonly code: string; readonly message: string; readonly target?: string | undefined }
>

/**
 * The data plane over a store: answers an admitted request, the store's refusals in the service's
 * error envelope, and malformed parameters or bodies as the service's 400s.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  store: IdentityStore.IdentityStore,
  pageSize: number
): (request: Admitted) => Effect.Effect<Reply.Reply> => {
  const answers = StoreAnswers.make(store, pageSize)
  return ({ apiVersion, bearer, body, query, route }) => {
    const params = Wire.params(route.operation, route.params)
    if (Wire.isReply(params)) return Effect.succeed(params)
    const decoded = Wire.request(route.operation, body, apiVersion)
    if (Wire.isReply(decoded)) return Effect.succeed(decoded)
    const answer = answers[route.operation] as Answer
    return answer({
      apiVersion,
      params: params as Operations.PathParams<Operations.OperationId>,
      body: decoded as Operations.RequestBody<Operations.OperationId>,
      query: query.toString(),
      bearer
    }).pipe(
      Effect.match({
        onFailure: (error) => Reply.error(error.status, error.code, error.message, { target: error.target }),
        onSuccess: ({ status, value }) => status === 204 ? Reply.empty(204) : Reply.service(status, value)
      })
    )
  }
}
