/**
 * The assignments half of the identity store: Teams Phone extension assignments (by tenant and
 * object) and Entra ID assignments (by object, listed in objectId order), and which of them admit
 * an Entra user to an exchange. Writes run under the store's lock, passed in as `write`.
 */
import * as Effect from "effect/Effect"
import { NotFoundError } from "../Errors.js"
import { EntraAssignment, TeamsExtensionAssignment } from "../Models.js"
import type { ReadClaims } from "./entraClaims.js"
import {
  type EntraAssignmentRequestWire,
  type EntraAssignmentsUpdateWire,
  type TeamsExtensionAssignmentRequestWire
} from "./wire.js"

/** What an upsert did: the assignment as stored, and whether it was created (else replaced). */
export interface UpsertResult<A> {
  readonly assignment: A
  readonly created: boolean
}

/** One page of Entra assignments, and where the next one starts (an objectId), if there is one. */
export interface AssignmentsPage {
  readonly value: ReadonlyArray<EntraAssignment>
  readonly next?: string
}

/** Serialises a write with every other write of the store. */
export type Write = <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E>

/** Ids compare without case, as the service compares GUIDs. */
export const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

const assignmentNotFound = () =>
  new NotFoundError({ status: 404, code: "AssignmentNotFound", message: "The assignment does not exist." })

const teamsKey = (tenantId: string, objectId: string) => `${tenantId.toLowerCase()}/${objectId.toLowerCase()}`

const found = <A>(value: A | undefined): Effect.Effect<A, NotFoundError> =>
  value === undefined ? Effect.fail(assignmentNotFound()) : Effect.succeed(value)

/** The assignments of one store, with its lock. */
export const make = (write: Write) => {
  /** By `<tenant>/<object>`, lower-cased. */
  const teams = new Map<string, TeamsExtensionAssignment>()
  /** By lower-cased objectId. */
  const entra = new Map<string, EntraAssignment>()

  const putEntra = (objectId: string, request: typeof EntraAssignmentRequestWire.Type) => {
    const key = objectId.toLowerCase()
    const created = !entra.has(key)
    const assignment = new EntraAssignment({ objectId, ...request })
    entra.set(key, assignment)
    return { assignment, created }
  }

  return {
    /** Why no Teams Phone extension assignment admits these claims, or `undefined` when one does. */
    teamsExtensionRefusal: (claims: ReadClaims): string | undefined => {
      const assignment = teams.get(teamsKey(claims.tenantId, claims.objectId))
      if (assignment === undefined) return "No Teams Phone extension assignment exists for this user."
      const clientIds = assignment.clientIds ?? []
      return clientIds.length === 0 || clientIds.some((id) => sameId(id, claims.clientId))
        ? undefined
        : `The assignment does not allow the application ${claims.clientId}.`
    },
    /** Why no user, group or tenant assignment admits these claims, or `undefined` when one does. */
    entraRefusal: (claims: ReadClaims): string | undefined => {
      const candidates = [
        entra.get(claims.objectId.toLowerCase()),
        entra.get(claims.tenantId.toLowerCase()),
        ...claims.groups.map((group) => entra.get(group.toLowerCase()))
      ].filter((a): a is EntraAssignment =>
        a !== undefined && sameId(a.tenantId, claims.tenantId) &&
        (a.principalType !== "tenant" || sameId(a.objectId, claims.tenantId))
      )
      if (candidates.length === 0) return "No Entra ID assignment exists for this user, its groups or its tenant."
      return candidates.some((a) => a.clientIds.some((id) => sameId(id, claims.clientId)))
        ? undefined
        : `No assignment allows the application ${claims.clientId}.`
    },
    getTeamsExtensionAssignment: (tenantId: string, objectId: string) =>
      Effect.suspend(() => found(teams.get(teamsKey(tenantId, objectId)))),
    upsertTeamsExtensionAssignment: (
      tenantId: string,
      objectId: string,
      request: typeof TeamsExtensionAssignmentRequestWire.Type
    ): Effect.Effect<UpsertResult<TeamsExtensionAssignment>> =>
      write(Effect.sync(() => {
        const key = teamsKey(tenantId, objectId)
        const created = !teams.has(key)
        const assignment = new TeamsExtensionAssignment({
          objectId,
          tenantId,
          principalType: request.principalType,
          ...(request.clientIds === undefined ? {} : { clientIds: request.clientIds })
        })
        teams.set(key, assignment)
        return { assignment, created }
      })),
    deleteTeamsExtensionAssignment: (tenantId: string, objectId: string) =>
      write(
        Effect.suspend(() =>
          teams.delete(teamsKey(tenantId, objectId)) ? Effect.void : Effect.fail(assignmentNotFound())
        )
      ),
    listEntraAssignments: (pageSize: number, after?: string) =>
      Effect.sync((): AssignmentsPage => {
        const from = after?.toLowerCase()
        const keys = [...entra.keys()].sort().filter((key) => from === undefined || key > from)
        const page = keys.slice(0, Math.max(1, pageSize))
        const value = page.map((key) => entra.get(key)!)
        return keys.length > page.length ? { value, next: page[page.length - 1]! } : { value }
      }),
    getEntraAssignment: (objectId: string) => Effect.suspend(() => found(entra.get(objectId.toLowerCase()))),
    upsertEntraAssignment: (
      objectId: string,
      request: typeof EntraAssignmentRequestWire.Type
    ): Effect.Effect<UpsertResult<EntraAssignment>> => write(Effect.sync(() => putEntra(objectId, request))),
    deleteEntraAssignment: (objectId: string) =>
      write(
        Effect.suspend(() => entra.delete(objectId.toLowerCase()) ? Effect.void : Effect.fail(assignmentNotFound()))
      ),
    updateEntraAssignments: (changes: typeof EntraAssignmentsUpdateWire.Type) =>
      write(Effect.sync(() => {
        const written: Array<EntraAssignment> = []
        for (const [objectId, change] of Object.entries(changes)) {
          if (change === null) entra.delete(objectId.toLowerCase())
          else written.push(putEntra(objectId, change).assignment)
        }
        return written as ReadonlyArray<EntraAssignment>
      })),
    /** Copies for a snapshot: Teams assignments in write order, Entra ones by objectId. */
    snapshot: () => ({
      teamsExtensionAssignments: [...teams.values()],
      entraAssignments: [...entra.values()].sort((a, b) => a.objectId.localeCompare(b.objectId))
    })
  }
}
