/**
 * The window parts the sign-in uses, for jsdom, which cannot leave the page: the tab's real
 * sessionStorage, an address the test sets, and a record of where the page would have gone.
 */
import type { AuthPage } from "../../src/auth/session";

export class TestPage implements AuthPage {
  readonly storage = window.sessionStorage;
  address: string;
  /** Every URL the page was sent to (sign-in, sign-out), in order. */
  readonly visited: string[] = [];

  constructor(address = "https://sous.example/") {
    this.address = address;
  }

  readonly url = () => this.address;

  readonly assign = (url: string) => {
    this.visited.push(url);
  };

  readonly replace = (url: string) => {
    this.address = new URL(url, this.address).href;
  };
}

/** An unsigned JWT with these claims (the page reads claims; signaling checks signatures). */
export function idToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256", kid: "k1" })}.${part(claims)}.c2lnbmF0dXJl`;
}

export const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;
