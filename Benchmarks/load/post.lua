-- wrk script: POST the JSON file named by $REFER_LOAD_BODY (a /v1/similar or /v1/reviewers request).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("REFER_LOAD_BODY"), "r"))
wrk.body = f:read("*a")
f:close()
