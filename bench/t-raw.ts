import http from "node:http";
import { runRate } from "./lib";
const server = http.createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, { "content-length": 2 }); res.end("ok"); }); });
await new Promise<void>((r) => server.listen(0, r));
const port = (server.address() as any).port;
const r = await runRate(() => ({ url: `http://127.0.0.1:${port}/x`, init: { method: "POST", body: "hello", headers: { a: "b" } } }), 1000, 2);
console.log(r);
server.close();
