/**
 * A real HTTP server on 127.0.0.1 whose answers each test scripts: it stands where the signaling
 * service or the sign-in service would, and records every request it gets.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: SeenRequest, response: ServerResponse) => void;

export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    "Content-Type": "application/json",
    // The page is on another origin (jsdom's); the sign-in service allows it like Cognito does.
    "Access-Control-Allow-Origin": "*",
  });
  response.end(JSON.stringify(body));
}

export class TestServer {
  readonly seen: SeenRequest[] = [];
  handler: Handler = (_request, response) => {
    json(response, 404, { detail: "Not Found" });
  };
  private readonly server: Server;
  base = "";

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        this.seen.push(request);
        this.handler(request, res);
      });
    });
  }

  static async start(): Promise<TestServer> {
    const server = new TestServer();
    await new Promise<void>((resolve) => server.server.listen(0, "127.0.0.1", resolve));
    server.base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
    return server;
  }

  /** Requests to `path` (query ignored), in order. */
  requestsTo(path: string): SeenRequest[] {
    return this.seen.filter((request) => request.url.split("?")[0] === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
