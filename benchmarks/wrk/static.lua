-- wrk: plain GET (the static CSS file): the machine's ceiling for comparison.
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

done = report.done
