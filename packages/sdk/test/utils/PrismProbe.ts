/**
 * Test transport for contract runs (a wrapped platform `HttpClient`, adapted by `HttpClientTransport.fromHttpClient`) against the Prism mock: real HTTP on loopback, plus a `Prefer`
 * header chosen per call and a record of every `sl-violations` header Prism sends back.
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Context, Effect, FiberRef, Layer } from "effect"
import * as HttpClientTransport from "../../src/HttpClientTransport.js"
import { Transport } from "../../src/index.js"

const currentPrefer = FiberRef.unsafeMake<string | undefined>(undefined)

/** Runs `self` with `Prefer: <prefer>` on every request it makes. */
export const withPrefer = (prefer: string) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.locally(self, currentPrefer, prefer)

/** Statuses and violations seen on the wire. */
export class PrismProbe extends Context.Tag("test/PrismProbe")<PrismProbe, {
  readonly violations: Array<string>
  readonly statuses: Array<number>
}>() {
  /** The probe and the transport over the real (wrapped) `HttpClient`. */
  static readonly layer = Layer.effectContext(
    Effect.gen(function*() {
      const violations: Array<string> = []
      const statuses: Array<number> = []
      const client = (yield* HttpClient.HttpClient).pipe(
        HttpClient.mapRequestEffect((request) =>
          Effect.map(
            FiberRef.get(currentPrefer),
            (prefer) => prefer === undefined ? request : HttpClientRequest.setHeader(request, "prefer", prefer)
          )
        ),
        HttpClient.tap((response) =>
          Effect.sync(() => {
            statuses.push(response.status)
            const violation = response.headers["sl-violations"]
            if (violation !== undefined) violations.push(violation)
          })
        )
      )
      return Context.make(PrismProbe, { violations, statuses }).pipe(
        Context.add(Transport.Transport, HttpClientTransport.fromHttpClient(client))
      )
    })
  ).pipe(Layer.provide(NodeHttpClient.layerUndici))
}
