/**
 * Calls one operation of the table: gates it by api-version (nothing is sent for a version that
 * lacks it), fills its path, encodes its body with its request schema, authenticates it as the
 * table says, and decodes the answer with its response schema. Also the one place operation spans
 * are made.
 */
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import type * as Effect from "effect/Effect"
import * as Effect_ from "effect/Effect"
import * as Either from "effect/Either"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"
import type * as Tracer from "effect/Tracer"
import * as Tracer_ from "effect/Tracer"
import type { ApiVersion } from "../ApiVersion.js"
import {
  type CredentialError,
  type InvalidArgumentError,
  NotFoundError,
  ServiceError,
  type UnexpectedResponseError
} from "../Errors.js"
import { buildPath, type Definition, isAvailable, type OperationId, operations } from "../Operations.js"
import { available } from "./arguments.js"
import type { Requester, Trace } from "./requester.js"
import { decodeBody, type Received, type ResponseFailure } from "./response.js"

/** What a call needs besides its operation: path parameters, the body, more query, the user's bearer. */
export interface Input {
  readonly params?: Readonly<Record<string, string>>
  readonly body?: unknown
  readonly query?: string | undefined
  readonly bearer?: Redacted.Redacted<string>
  /** The operation's trace (from `traced`): its span gets the request id, final status and attempts. */
  readonly trace?: Trace | undefined
}

export type { Trace } from "./requester.js"

/** The decoded 2xx body of an operation (`void` for the 204 ones). */
export type Output<K extends OperationId> = (typeof operations)[K]["response"] extends infer S
  ? S extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<S> : void
  : never

/** A decoded answer and the success status it came with (200 or 201 tells updated from created). */
export interface Answer<A> {
  readonly value: A
  readonly status: number
}

/** Errors of any invoked operation. */
export type InvokeError = InvalidArgumentError | ResponseFailure | CredentialError

/** Calls operations of the table through one requester. */
export interface Invoker {
  readonly apiVersion: ApiVersion
  readonly invoke: <K extends OperationId>(
    operation: K,
    input?: Input
  ) => Effect.Effect<Answer<Output<K>>, InvokeError>
}

interface Codec {
  /** Type to wire; `undefined` when the body needs no encoding (none, or one that encodes as itself). */
  readonly encode: ((body: unknown) => unknown) | undefined
  readonly decode:
    | ((received: Received, requestId: string) => Either.Either<unknown, UnexpectedResponseError>)
    | undefined
  /** The decoded value of a 204, for operations that may answer one. */
  readonly noContent: unknown
}

/**
 * True when encoding a value of the schema's type gives it back unchanged: no transformation or
 * declaration (`Redacted`, classes, dates) anywhere in it, only structs, tuples, unions, literals
 * and filters. A body of such a schema (already decoded by the argument checks) is sent as it is.
 */
export const encodesAsItself = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Transformation":
    case "Declaration":
    case "Suspend":
      return false
    case "Refinement":
      return encodesAsItself(ast.from)
    case "TypeLiteral":
      return ast.propertySignatures.every((property) => encodesAsItself(property.type)) &&
        ast.indexSignatures.every((index) => encodesAsItself(index.type))
    case "TupleType":
      return ast.elements.every((element) => encodesAsItself(element.type)) &&
        ast.rest.every((rest) => encodesAsItself(rest.type))
    case "Union":
      return ast.types.every(encodesAsItself)
    default:
      return true
  }
}

const codecs = new Map<OperationId, Codec>()

const codecOf = (operation: OperationId): Codec => {
  let codec = codecs.get(operation)
  if (codec === undefined) {
    const definition: Definition = operations[operation]
    codec = {
      encode: definition.request === undefined || encodesAsItself(definition.request.ast)
        ? undefined
        : Schema.encodeUnknownSync(definition.request),
      decode: definition.response === undefined ? undefined : decodeBody(definition.response, operation),
      noContent: definition.response === undefined || definition.noContent === undefined
        ? undefined
        : Schema.decodeUnknownSync(definition.response)(definition.noContent)
    }
    codecs.set(operation, codec)
  }
  return codec
}

/** Builds the invoker over a requester for an api-version. */
export const makeInvoker = (send: Requester, apiVersion: ApiVersion): Invoker => ({
  apiVersion,
  invoke: <K extends OperationId>(operation: K, input: Input = {}) => {
    const definition: Definition = operations[operation]
    const { decode, encode, noContent } = codecOf(operation)
    const call = {
      method: definition.method,
      path: buildPath(definition.path, input.params ?? {}),
      query: input.query,
      body: input.body === undefined || encode === undefined ? input.body : encode(input.body),
      contentType: definition.contentType,
      repeatable: definition.repeatable,
      bearer: input.bearer,
      trace: input.trace
    }
    const sent = send(
      call,
      (received, requestId): Either.Either<Answer<unknown>, UnexpectedResponseError> =>
        decode === undefined || (received.status === 204 && noContent !== undefined)
          ? Either.right({ value: noContent, status: received.status })
          : Either.map(decode(received, requestId), (value) => ({ value, status: received.status }))
    )
    // The version gate is known now: an available operation pays no extra step for it.
    return (isAvailable(operation, apiVersion)
      ? sent
      : Effect_.zipRight(available(apiVersion, operation, operation), sent)) as Effect.Effect<
        Answer<Output<K>>,
        InvokeError
      >
  }
})

/**
 * Runs `body` in the span of one client operation: `CommunicationIdentityClient.<method>`, with the
 * operation's id. The span is handed to `body` (for `Input.trace`) rather than put in the fiber's
 * context, which would cost two copies of the fiber's refs per call; the requester makes it the
 * parent span wherever other code runs inside the call (a signer that may wait, retries, a general
 * transport). Under Effect's built-in tracer, which exports nothing, such a span could not be seen
 * by anything, so none is made.
 */
export const traced = <A, E, R>(
  method: string,
  operation: OperationId,
  body: (trace: Trace) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect_.withFiberRuntime((fiber) => {
    // Looked up by the two strings (literals at every call site), not by a key made per call.
    const byOperation = spans.get(method) ?? new Map()
    let made = byOperation.get(operation)
    if (made === undefined) {
      // Name and options made once per client method, not once per call.
      const name = `CommunicationIdentityClient.${method}`
      made = {
        untraced: { name, span: undefined },
        options: {
          kind: "client",
          // No stack walk per call: the span's name says where it comes from.
          captureStackTrace: false,
          attributes: { "acs.operation": operations[operation].operationId }
        }
      }
      spans.set(method, byOperation.set(operation, made))
    }
    const { options, untraced } = made
    return fiber.currentTracer === builtInTracer
      ? body(untraced)
      : Effect_.useSpan(untraced.name, options, (span) => body({ name: untraced.name, span }))
  })

const spans = new Map<string, Map<OperationId, { readonly untraced: Trace; readonly options: Tracer.SpanOptions }>>()

const builtInTracer = Context.get(DefaultServices.liveServices, Tracer_.Tracer)

/** For operations the service has no 404 for: treat one as a generic service error. */
export const notFoundAsServiceError = <A, E, R>(
  effect: Effect.Effect<A, E | NotFoundError, R>
): Effect.Effect<A, Exclude<E, NotFoundError> | ServiceError, R> =>
  Effect_.catchIf(
    effect,
    (e): e is NotFoundError => e instanceof NotFoundError,
    (e) =>
      Effect_.fail(
        new ServiceError({
          status: e.status,
          code: e.code,
          message: e.message,
          ...(e.target === undefined ? {} : { target: e.target }),
          ...(e.details === undefined ? {} : { details: e.details }),
          ...(e.innerError === undefined ? {} : { innerError: e.innerError }),
          ...(e.requestId === undefined ? {} : { requestId: e.requestId })
        })
      )
  ) as Effect.Effect<A, Exclude<E, NotFoundError> | ServiceError, R>
