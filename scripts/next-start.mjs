// How every script serves the production build with `next start` (npm run dev, the end-to-end
// server, the benchmarks); `npm start` in package.json passes the same options.
//
// Idle keep-alive connections are kept 65 s, not Node's 5 s: a request sent on a connection just
// as the server closes it is reset (ECONNRESET, nodejs/node#47130; it failed a CI run once), and a
// load balancer's pooled connections, idle up to 60 s, would meet the same race.
export const NEXT_START_OPTIONS = ["--keepAliveTimeout", "65000"];
