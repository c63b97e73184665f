import { hello } from "@acs-identity/sdk"
export const x: number = hello
