-- wrk: complete questionnaire responses through an anonymous link (POST, JSON body).
-- wrk -t2 -c50 -d60s -s benchmarks/wrk/submit.lua http://127.0.0.1:PORT/api/v1/respond/TOKEN
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local likert = { "strategisches_ziel", "tagesgeschaeft", "marktposition", "eigenmotivation",
  "wettbewerbsdruck", "umsetzung", "wettbewerbsvorteil" }
local answers = {}
for _, item in ipairs(likert) do
  answers[#answers + 1] = string.format('"%s": "4"', item)
end
answers[#answers + 1] = '"position": "Fachkraft"'

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"answers": {' .. table.concat(answers, ", ") .. '}, "submit": true}'

done = report.done
