/** The official client, `@azure/communication-identity` 1.3.1, pointed at the loopback stub. */
import { CommunicationIdentityClient } from "@azure/communication-identity"
import { connectionString, expiresInMinutes, userId } from "../config.js"
import type { MakeClient } from "./types.js"

/** The official client. */
export const make: MakeClient = (endpoint) => {
  const client = new CommunicationIdentityClient(connectionString(endpoint), { allowInsecureConnection: true })
  const user = { communicationUserId: userId }
  return Promise.resolve({
    getToken: () => client.getToken(user, ["chat"], { tokenExpiresInMinutes: expiresInMinutes }),
    createUserAndToken: () => client.createUserAndToken(["chat"]),
    close: () => Promise.resolve()
  })
}
