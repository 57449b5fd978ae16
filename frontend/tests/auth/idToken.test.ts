import { describe, expect, it } from "vitest";
import { readIdToken } from "../../src/auth/idToken";
import { idToken } from "../support/authPage";

describe("readIdToken", () => {
  it("reads when the token expires and whose it is", () => {
    const token = idToken({ sub: "cook-1", email: "josé@example.com", exp: 1_900_000_000 });
    expect(readIdToken(token)).toEqual({
      expiresAt: 1_900_000_000_000,
      email: "josé@example.com",
    });
  });

  it("has no email when the token carries none", () => {
    expect(readIdToken(idToken({ exp: 1_900_000_000 })).email).toBeNull();
  });

  it.each([
    ["not a JWT", "opaque-access-token", "not a JWT"],
    ["claims that are not JSON", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", "not readable"],
    ["no expiry", idToken({ email: "cook@example.com" }), "no expiry"],
  ])("refuses %s", (_case, token, message) => {
    expect(() => readIdToken(token)).toThrow(message);
  });
});
