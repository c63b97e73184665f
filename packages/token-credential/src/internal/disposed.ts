/** The error every call on a disposed credential fails with. */
import { CredentialError } from "../CredentialError.js"

/** A fresh `Disposed` error. */
export const disposed = (): CredentialError =>
  new CredentialError({ reason: "Disposed", message: "the credential has been disposed" })
