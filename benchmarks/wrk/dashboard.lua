-- wrk: authenticated GET of the dashboard API (API token in KREISLAUF_TOKEN).
-- wrk -t2 -c50 -d60s -s benchmarks/wrk/dashboard.lua http://127.0.0.1:PORT/api/v1/orgs/demo-gmbh/dashboard
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("KREISLAUF_TOKEN"), "KREISLAUF_TOKEN")
wrk.headers["Accept"] = "application/json"

done = report.done
