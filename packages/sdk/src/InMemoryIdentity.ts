/**
 * The whole `CommunicationIdentityClient` with no HTTP, for unit tests of code that uses the client.
 * It runs the HTTP client's own code (version gate, arguments, reading the answer) and only takes
 * each operation's answer from an `IdentityStore` (`StoreAnswers`) instead of sending it; the stateful
 * mock serves the same answers, so the three cannot disagree. Token expiry
 * follows the Effect `Clock`: under `TestClock`, `TestClock.adjust` makes tokens expire.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import { type ApiVersion, defaultApiVersion } from "./ApiVersion.js"
import { CommunicationIdentityClient, type Service } from "./CommunicationIdentityClient.js"
import { makeClient } from "./internal/client.js"
import type { Answer, Input, Invoke } from "./internal/pipeline.js"
import { type Definition, type OperationId, operations, type PathParams, type RequestBody } from "./Operations.js"
import { currentRequestPolicy, resolveRequestPolicy } from "./RequestPolicy.js"
import * as IdentityStore from "./testing/IdentityStore.js"
import * as StoreAnswers from "./testing/StoreAnswers.js"

/**
 * Options of the in-memory layer.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends IdentityStore.StoreOptions {
  /** The api-version the client pretends to send; `customId`, `getUser` and Entra ID need `2025-03-02-preview`. */
  readonly apiVersion?: ApiVersion | undefined
  /** Entra assignments per page of `listEntraAssignments` (default {@link defaultPageSize}), so paging is exercised. */
  readonly pageSize?: number | undefined
}

/**
 * The default page size of `listEntraAssignments` here and in the stateful mock: small, so clients
 * under test follow `nextLink`.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPageSize = 5

/**
 * The store behind the in-memory client, for assertions (users, tokens, revocations, request counts).
 *
 * @since 0.1.0
 * @category services
 */
export class InMemoryIdentityState
  extends Context.Tag("@acs-identity/sdk/InMemoryIdentityState")<InMemoryIdentityState, IdentityStore.IdentityStore>()
{}

/**
 * The client over a store. It is the HTTP client's own code (`makeClient`: version gate,
 * arguments, reading the answer) with an `invoke` that counts one request and takes the store's
 * answer (`StoreAnswers`, as the stateful mock does) instead of sending one, so the clients cannot
 * disagree on anything before or after the wire.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeService = (
  store: IdentityStore.IdentityStore,
  apiVersion: ApiVersion = defaultApiVersion,
  pageSize: number = defaultPageSize
): Service => {
  const answers = StoreAnswers.make(store, pageSize)
  const invoke = ((id: OperationId, input: Input) => {
    const answer = answers[id] as (
      request: StoreAnswers.Request<OperationId>
    ) => Effect.Effect<Answer<unknown>, unknown>
    const answered = policyChecked.pipe(
      Effect.zipRight(store.recordRequest(id)),
      Effect.zipRight(answer({
        apiVersion,
        params: (input.params ?? {}) as PathParams<OperationId>,
        body: input.body as RequestBody<OperationId>,
        query: input.query,
        bearer: input.bearer
      })),
      Effect.map(({ status, value }) => ({ status, value: throughWire(id)(value) }))
    )
    return input.trace.span === undefined ? answered : Effect.withParentSpan(answered, input.trace.span)
  }) as Invoke
  return makeClient(apiVersion, inMemoryEndpoint, invoke)
}

/** The call's policy overrides, checked as the HTTP client checks them (nothing else of them applies here). */
const policyChecked = Effect.asVoid(Effect.flatMap(FiberRef.get(currentRequestPolicy), resolveRequestPolicy))

const copiers = new Map<OperationId, (value: unknown) => unknown>()

/**
 * An answer's value as the HTTP client would read it: encoded and decoded by the row's response
 * schema, so no result shares an object with the store.
 */
const throughWire = (id: OperationId): (value: unknown) => unknown => {
  let copy = copiers.get(id)
  if (copy === undefined) {
    const { response }: Definition = operations[id]
    if (response === undefined) {
      copy = (value) => value
    } else {
      const encode = Schema.encodeSync(response)
      const decode = Schema.decodeSync(response)
      copy = (value) => decode(encode(value))
    }
    copiers.set(id, copy)
  }
  return copy
}

/** Where the in-memory client says it is; only `nextLink`s are resolved against it. */
const inMemoryEndpoint = new URL("https://in-memory.communication.azure.com")

/**
 * The in-memory client and its state. A fresh, empty store per layer build.
 *
 * @since 0.1.0
 * @category constructors
 */
export const layer = (
  options: Options = {}
): Layer.Layer<CommunicationIdentityClient | InMemoryIdentityState> =>
  Layer.effectContext(
    Effect.map(IdentityStore.make(options), (store) =>
      Context.make(InMemoryIdentityState, store).pipe(
        Context.add(CommunicationIdentityClient, makeService(store, options.apiVersion, options.pageSize))
      ))
  )
