import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base64Url, codeChallenge, randomToken } from "../../src/auth/pkce";

// RFC 7636, Appendix B: the example verifier's octets, the verifier and its S256 challenge.
const RFC_OCTETS = [
  116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105,
  214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
];
const RFC_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const RFC_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("PKCE", () => {
  it("encodes bytes as unpadded base64url, as RFC 7636 does", () => {
    expect(base64Url(new Uint8Array(RFC_OCTETS))).toBe(RFC_VERIFIER);
    expect(base64Url(new Uint8Array([251, 255]))).toBe("-_8");
  });

  it("derives the S256 challenge of RFC 7636's example", async () => {
    expect(await codeChallenge(RFC_VERIFIER)).toBe(RFC_CHALLENGE);
  });

  it("derives the challenge an OAuth server computes for any verifier", async () => {
    for (let i = 0; i < 20; i++) {
      const verifier = randomToken();
      const expected = createHash("sha256").update(verifier).digest("base64url");
      expect(await codeChallenge(verifier)).toBe(expected);
    }
  });

  it("makes verifiers and states of 43 unreserved characters, never the same twice", () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
